// The lab as one object for tests and the CLI: build if needed, boot if not up, wait for SSH, and
// run scripts on the director (one reused connection) or inside the namespaces.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { argvToShell, quoteShellArg } from "@lvs-panel/lvs";
import { sshBanner } from "./banner.ts";
import { bootVm, runningVm, stopVm, type VmState } from "./boot.ts";
import { ensureImage } from "./build-image.ts";
import { ensureKeys, type LabKeys } from "./keys.ts";
import { withLock } from "./lock.ts";
import { cacheDir, sshPortFromEnv } from "./paths.ts";
import { recipeHash } from "./recipe.ts";
import { type ExecResult, LabSsh } from "./ssh.ts";
import {
  CLIENTS,
  type ClientName,
  DIP,
  DIP2,
  DIRECTOR_HOSTNAME,
  DIRECTOR_WAN_ADDRESS,
  DIRECTOR2_HOSTNAME,
  DIRECTOR2_NAMESPACE,
  DIRECTOR2_WAN_ADDRESS,
  LAN_INTERFACE,
  REALSERVERS,
  type RealserverName,
  VIPS,
  WAN_INTERFACE,
} from "./topology.ts";

export interface LabRealserver {
  readonly name: RealserverName;
  readonly address: string;
  readonly sshPort: 22;
  readonly username: "root";
  /** Reached through the director: connect there, then tunnel to address:22. */
  readonly jump: "director";
  readonly hostKeyFingerprint: string;
  readonly hostPublicKey: string;
}

/**
 * The second director (network namespace dir2), for VRRP pairs. Reached like a realserver: SSH to
 * the director, then a tunnel to address:22. Same interface names as the director.
 */
export interface LabDirector2 {
  /** The network namespace on the director. */
  readonly name: "dir2";
  readonly hostname: string;
  /** Where its sshd listens: its address on lan0, which is also its DIP. */
  readonly address: string;
  readonly sshPort: 22;
  readonly username: "root";
  readonly jump: "director";
  readonly hostKeyFingerprint: string;
  readonly hostPublicKey: string;
  readonly dip: string;
  /** Its own address on wan0 (192.168.77.3/24). */
  readonly wanAddress: string;
  readonly lanInterface: string;
  readonly wanInterface: string;
}

export interface LabInfo {
  readonly sshHost: "127.0.0.1";
  readonly sshPort: number;
  readonly privateKeyPath: string;
  readonly privateKey: string;
  readonly publicKey: string;
  readonly director: {
    readonly hostname: string;
    readonly address: "127.0.0.1";
    readonly sshPort: number;
    readonly username: "root";
    readonly dip: string;
    readonly lanInterface: string;
    readonly wanInterface: string;
    /** Its own address on wan0 (192.168.77.1/24). */
    readonly wanAddress: string;
    readonly hostKeyFingerprint: string;
    readonly hostPublicKey: string;
  };
  readonly director2: LabDirector2;
  readonly realservers: readonly LabRealserver[];
  readonly clients: { readonly nat: "clientnat"; readonly dr: "clientdr" };
  readonly vips: { readonly nat: string; readonly dr: string };
  readonly serialLog: string;
  readonly imageHash: string;
}

export type Log = (line: string) => void;

const SSH_READY_TIMEOUT_MS = 180_000;

let directorConnection: Promise<LabSsh> | undefined;
let current: { info: LabInfo; keys: LabKeys } | undefined;

function describe(vm: VmState, keys: LabKeys): LabInfo {
  return {
    sshHost: "127.0.0.1",
    sshPort: vm.sshPort,
    privateKeyPath: keys.client.privateKeyPath,
    privateKey: keys.client.privateKey,
    publicKey: keys.client.publicKey,
    director: {
      hostname: DIRECTOR_HOSTNAME,
      address: "127.0.0.1",
      sshPort: vm.sshPort,
      username: "root",
      dip: DIP,
      lanInterface: LAN_INTERFACE,
      wanInterface: WAN_INTERFACE,
      wanAddress: DIRECTOR_WAN_ADDRESS,
      hostKeyFingerprint: keys.hostKeys.director.fingerprint,
      hostPublicKey: keys.hostKeys.director.publicKey,
    },
    director2: {
      name: DIRECTOR2_NAMESPACE,
      hostname: DIRECTOR2_HOSTNAME,
      address: DIP2,
      sshPort: 22,
      username: "root",
      jump: "director",
      hostKeyFingerprint: keys.hostKeys[DIRECTOR2_NAMESPACE].fingerprint,
      hostPublicKey: keys.hostKeys[DIRECTOR2_NAMESPACE].publicKey,
      dip: DIP2,
      wanAddress: DIRECTOR2_WAN_ADDRESS,
      lanInterface: LAN_INTERFACE,
      wanInterface: WAN_INTERFACE,
    },
    realservers: REALSERVERS.map((rs) => ({
      name: rs.name,
      address: rs.address,
      sshPort: 22,
      username: "root",
      jump: "director",
      hostKeyFingerprint: keys.hostKeys[rs.name].fingerprint,
      hostPublicKey: keys.hostKeys[rs.name].publicKey,
    })),
    clients: { nat: CLIENTS.nat.namespace, dr: CLIENTS.dr.namespace },
    vips: { nat: VIPS.nat, dr: VIPS.dr },
    serialLog: vm.serialLog,
    imageHash: vm.imageHash,
  };
}

async function serialTail(path: string): Promise<string> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text.split("\n").slice(-30).join("\n");
}

/** Retries the handshake until the guest's sshd answers (qemu's hostfwd accepts TCP at once). */
async function waitForDirector(vm: VmState, keys: LabKeys, log: Log): Promise<LabSsh> {
  const deadline = Date.now() + SSH_READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if ((await runningVm()) === undefined) {
      throw new Error(
        `the lab VM exited during boot; serial log:\n${await serialTail(vm.serialLog)}`,
      );
    }
    // Probe for the banner first: a handshake started before the guest's NIC is up hangs until
    // its timeout, because qemu's hostfwd accepts the TCP connection regardless.
    if ((await sshBanner(vm.sshPort, 1000)) === undefined) {
      await new Promise((r) => setTimeout(r, 300));
      continue;
    }
    try {
      return await LabSsh.connect({
        host: "127.0.0.1",
        port: vm.sshPort,
        privateKey: keys.client.privateKey,
        hostFingerprint: keys.hostKeys.director.fingerprint,
        readyTimeoutMs: 15_000,
      });
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  log(`serial log tail:\n${await serialTail(vm.serialLog)}`);
  throw new Error(
    `the lab's sshd did not answer within ${SSH_READY_TIMEOUT_MS / 1000}s: ${String(lastError)}`,
  );
}

/** Builds the image if needed, boots the VM if it is not running, and waits until SSH answers. */
export async function ensureLab(log: Log = () => undefined): Promise<LabInfo> {
  const ensured = await withLock(join(cacheDir(), "lab.lock"), async () => {
    const keys = await ensureKeys();
    let vm = await runningVm();
    if (vm === undefined) {
      const image = await ensureImage(log);
      const started = Date.now();
      vm = await bootVm(image, keys, sshPortFromEnv());
      log(`booting (qemu pid ${vm.pid}, serial log ${vm.serialLog})`);
      directorConnection = Promise.resolve(await waitForDirector(vm, keys, log));
      log(`SSH ready after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    } else {
      if (vm.imageHash !== recipeHash()) {
        log(
          `the running lab uses image ${vm.imageHash}, not ${recipeHash()}; \`down\` then \`up\` to rebuild`,
        );
      }
      // Up, but maybe still booting (another process started it and died): wait for SSH here too.
      const open = directorConnection && (await directorConnection.catch(() => undefined));
      if (!open?.isOpen) directorConnection = Promise.resolve(await waitForDirector(vm, keys, log));
    }
    return { info: describe(vm, keys), keys };
  });
  current = ensured;
  return ensured.info;
}

/** The lab's state without booting anything; undefined when it is not running. */
export async function labStatus(): Promise<LabInfo | undefined> {
  const vm = await runningVm();
  if (vm === undefined) return undefined;
  return describe(vm, await ensureKeys());
}

let connecting: Promise<LabSsh> | undefined;

/** The shared director connection; concurrent callers share one handshake. */
async function director(): Promise<LabSsh> {
  const existing = directorConnection && (await directorConnection.catch(() => undefined));
  if (existing?.isOpen) return existing;
  connecting ??= openDirector().finally(() => {
    connecting = undefined;
  });
  return connecting;
}

async function openDirector(): Promise<LabSsh> {
  if (current === undefined) {
    // ensureLab leaves an open connection behind whenever it waited for SSH.
    await ensureLab();
    const made = directorConnection && (await directorConnection.catch(() => undefined));
    if (made?.isOpen) return made;
  }
  const lab = current;
  if (lab === undefined) throw new Error("the lab is not up");
  const conn = await LabSsh.connect({
    host: lab.info.sshHost,
    port: lab.info.sshPort,
    privateKey: lab.keys.client.privateKey,
    hostFingerprint: lab.keys.hostKeys.director.fingerprint,
  });
  directorConnection = Promise.resolve(conn);
  return conn;
}

/** Runs a root shell script on the director over the shared SSH connection. */
export async function labExec(script: string): Promise<ExecResult> {
  return (await director()).exec(script);
}

/** Like labExec, but a non-zero exit becomes an error carrying stderr. */
export async function labRun(script: string): Promise<string> {
  const result = await labExec(script);
  if (result.code !== 0) {
    throw new Error(
      `lab script exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}\n--- script:\n${script}`,
    );
  }
  return result.stdout;
}

/** `curl` from a client namespace; stdout is the HTTP body (a realserver's name). */
export function curlFromClient(client: ClientName, url: string): Promise<ExecResult> {
  return labExec(argvToShell(["ip", "netns", "exec", client, "curl", "-s", "-m", "3", url]));
}

/**
 * Runs a shell script as the realserver: in the network, mount and UTS namespaces of its sshd, so
 * it sees the realserver's private /etc and hostname exactly as an SSH session there would
 * (plain `ip netns exec rsN` shares only the network namespace).
 */
export function execInRealserver(name: RealserverName, script: string): Promise<ExecResult> {
  return labExec(sshdNamespacesShell(`/run/sshd-${name}.pid`, script));
}

/** Where dir2's sshd writes its pid: outside /run, which is private to dir2 (see guest/init.sh). */
const DIRECTOR2_SSHD_PID = `/var/lib/lab/${DIRECTOR2_NAMESPACE}/sshd.pid`;

/**
 * Runs a shell script as the second director: in the network, mount and UTS namespaces of dir2's
 * sshd, so with its IPVS table, hostname and private /etc, /run and /tmp (keepalived started here
 * writes its pid files and dumps there, apart from the director's).
 */
export function execInDirector2(script: string): Promise<ExecResult> {
  return labExec(director2Shell(script));
}

/**
 * The director's shell command that runs `script` as the second director (what execInDirector2
 * sends), for scripts that must do it from the director, such as a failover action. Plain
 * `ip netns exec dir2` is not the same: it sees the director's /etc, /run and /tmp, so its
 * `cat /run/keepalived.pid` is the director's keepalived. And the process table is shared, so
 * `pkill keepalived` or `pgrep keepalived` anywhere sees both directors' keepalived.
 */
export function director2Shell(script: string): string {
  return sshdNamespacesShell(DIRECTOR2_SSHD_PID, script);
}

/** Like execInDirector2, but a non-zero exit becomes an error carrying stderr. */
export async function runInDirector2(script: string): Promise<string> {
  const result = await execInDirector2(script);
  if (result.code !== 0) {
    throw new Error(
      `dir2 script exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}\n--- script:\n${script}`,
    );
  }
  return result.stdout;
}

function sshdNamespacesShell(pidFile: string, script: string): string {
  // The target pid is the one unquoted part: a command substitution reading sshd's pidfile.
  const target = `"$(cat ${quoteShellArg(pidFile)})"`;
  const rest = argvToShell(["--net", "--mount", "--uts", "sh", "-c", script]);
  return `nsenter --target ${target} ${rest}`;
}

/** An SSH connection to a realserver's own sshd, tunnelled through the director (the jump host). */
export async function sshRealserver(name: RealserverName): Promise<LabSsh> {
  const rs = REALSERVERS.find((candidate) => candidate.name === name);
  if (rs === undefined) throw new Error(`unknown realserver ${name}`);
  return sshBehindDirector(rs.address, name);
}

/** An SSH connection to the second director's own sshd, through the director (the jump host). */
export function sshDirector2(): Promise<LabSsh> {
  return sshBehindDirector(DIP2, DIRECTOR2_NAMESPACE);
}

async function sshBehindDirector(
  address: string,
  machine: RealserverName | typeof DIRECTOR2_NAMESPACE,
): Promise<LabSsh> {
  const jump = await director();
  const lab = current;
  if (lab === undefined) throw new Error("the lab is not up");
  return LabSsh.connect({
    host: address,
    port: 22,
    sock: await jump.tunnel(address, 22),
    privateKey: lab.keys.client.privateKey,
    hostFingerprint: lab.keys.hostKeys[machine].fingerprint,
  });
}

/** Closes the shared connection (so a test process can exit) without stopping the VM. */
export async function disconnectLab(): Promise<void> {
  const existing = directorConnection && (await directorConnection.catch(() => undefined));
  existing?.close();
  directorConnection = undefined;
}

export async function stopLab(): Promise<boolean> {
  await disconnectLab();
  current = undefined;
  return withLock(join(cacheDir(), "lab.lock"), () => stopVm());
}
