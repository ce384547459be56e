// Test hosts for apply tests: a real OpenSSH sshd in its own network namespace (so `ip addr`,
// `ip rule` and `sysctl -w` change only the sandbox) and its own mount namespace with a private
// copy of /etc (so files the panel persists land in the copy) and ipvsadm replaced by
// fake-ipvsadm.ts (this machine's kernel has no IPVS). Reached over a veth pair from the tests.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { ClusterState } from "@lvs-panel/lvs";
import { buildSync } from "esbuild";

const run = promisify(execFile);

export interface SandboxHost {
  name: string;
  /** The sandbox's address on the veth link, where its sshd listens (port 22). */
  address: string;
  fingerprint: string;
  dir: string;
  /** Run a command inside the sandbox's network namespace (as root, on this machine). */
  exec(argv: string[]): Promise<string>;
  /** The IPVS table the fake ipvsadm holds. */
  ipvs(): ClusterState["services"];
  /** Make any ipvsadm command containing `text` fail (null: stop failing). */
  failIpvsadmOn(text: string | null): void;
  /**
   * Make the next ipvsadm/ipvsadm-save command whose line (tool, arguments and, for `-R`, its
   * input) contains `text` wait before it runs, until released; lets a test act mid-apply.
   */
  holdIpvsadmOn(text: string): IpvsadmHold;
  /** A file as the sandbox sees it under /etc (null when absent). */
  etcFile(relative: string): string | null;
  /**
   * Kill every sshd session on the host and everything they run, as when connections drop;
   * the listener stays up and accepts new ones.
   */
  dropSessions(): Promise<void>;
  stopSshd(): Promise<void>;
  startSshd(): Promise<void>;
  /**
   * Take the host's link down (or up again): everything sent to it is silently lost, as when a
   * machine dies or its cable is pulled. Open connections look fine until something times out.
   */
  setLink(up: boolean): Promise<void>;
  stop(): Promise<void>;
}

export interface IpvsadmHold {
  /** Resolves once a matching command is waiting (polls a marker the command leaves). */
  reached(timeoutMs?: number): Promise<void>;
  /** Lets a waiting command go on (or cancels the hold if none came). */
  release(): void;
}

const repoRoot = path.resolve(import.meta.dirname, "../../..");

/**
 * The ipvsadm wrappers. A "<state>.hold" file arms a one-shot hold: the first matching command
 * renames it to "<state>.holding" (claiming it) and waits while that file exists. Without the
 * file the wrapper only execs the fake, as before.
 */
function ipvsadmWrapper(fake: string, state: string, tool: string): string {
  const run = `${process.execPath} ${fake} ${state} ${tool} "$@"`;
  return [
    "#!/bin/sh",
    `if [ -e ${state}.hold ]; then`,
    `  input=""; if [ "\${1-}" = -R ]; then input=$(cat); fi`,
    `  text=$(cat ${state}.hold 2>/dev/null)`,
    `  if [ -n "$text" ] && printf '%s %s\\n%s\\n' ${tool} "$*" "$input" | grep -qF -e "$text" &&`,
    `    mv ${state}.hold ${state}.holding 2>/dev/null; then`,
    `    while [ -e ${state}.holding ]; do sleep 0.05; done`,
    "  fi",
    `  if [ "\${1-}" = -R ]; then printf '%s\\n' "$input" | exec ${run}; fi`,
    "fi",
    `exec ${run}`,
    "",
  ].join("\n");
}

export async function startSandboxHost(opts: {
  name: string;
  authorizedKeys: string;
  /** Address/prefix on an interface "lan0" in the sandbox (the LVS network), e.g. 10.10.0.11/24. */
  lan?: string;
}): Promise<SandboxHost> {
  const id = randomBytes(3).toString("hex");
  const ns = `lvst-${id}`;
  const hostIf = `vh${id}`;
  const nsIf = `vn${id}`;
  const subnet = `10.${randomInt(200, 250)}.${randomInt(1, 254)}`;
  const address = `${subnet}.2`;
  const dir = await mkdtemp(path.join(tmpdir(), `lvs-sandbox-${opts.name}-`));
  const ipvsState = path.join(dir, "ipvs.json");

  await run("ip", ["netns", "add", ns]);
  await run("ip", ["link", "add", hostIf, "type", "veth", "peer", "name", nsIf]);
  await run("ip", ["link", "set", nsIf, "netns", ns]);
  await run("ip", ["addr", "add", `${subnet}.1/30`, "dev", hostIf]);
  await run("ip", ["link", "set", hostIf, "up"]);
  const nsRun = (argv: string[]) => run("ip", ["netns", "exec", ns, ...argv]);
  await nsRun(["ip", "addr", "add", `${address}/30`, "dev", nsIf]);
  await nsRun(["ip", "link", "set", nsIf, "up"]);
  await nsRun(["ip", "link", "set", "lo", "up"]);
  if (opts.lan) {
    // A veth pair inside the namespace stands in for the NIC on the LVS network.
    await nsRun(["ip", "link", "add", "lan0", "type", "veth", "peer", "name", "lan0p"]);
    await nsRun(["ip", "addr", "add", opts.lan, "dev", "lan0"]);
    await nsRun(["ip", "link", "set", "lan0p", "up"]);
    await nsRun(["ip", "link", "set", "lan0", "up"]);
  }

  await cp("/etc", path.join(dir, "etc"), { recursive: true, verbatimSymlinks: true });
  // root logs in with /bin/sh here: a login shell like bash would source the machine's own
  // /root/.bashrc (sessions share /root), whose startup (pyenv's rehash lock, seen here) can hang
  // every command once a killed session leaves its lock behind.
  const passwd = path.join(dir, "etc", "passwd");
  writeFileSync(
    passwd,
    readFileSync(passwd, "utf8").replace(/^(root:[^:]*:0:0:[^:]*:[^:]*:).*$/m, "$1/bin/sh"),
  );
  mkdirSync(path.join(dir, "bin"));
  // Bundled once so each ipvsadm call starts in ~0.1 s instead of compiling TypeScript again.
  const fake = path.join(dir, "fake-ipvsadm.mjs");
  buildSync({
    entryPoints: [path.join(import.meta.dirname, "fake-ipvsadm.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: fake,
    absWorkingDir: repoRoot,
    logLevel: "error",
  });
  for (const tool of ["ipvsadm", "ipvsadm-save"]) {
    const wrapper = path.join(dir, "bin", tool);
    writeFileSync(wrapper, ipvsadmWrapper(fake, ipvsState, tool));
    chmodSync(wrapper, 0o755);
  }
  const hostKey = path.join(dir, "ssh_host_ed25519_key");
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  const fingerprint = (await run("ssh-keygen", ["-lf", `${hostKey}.pub`, "-E", "sha256"])).stdout
    .trim()
    .split(/\s+/)[1] as string;
  writeFileSync(path.join(dir, "root.keys"), opts.authorizedKeys);
  const config = path.join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `ListenAddress ${address}`,
      "Port 22",
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${dir}/%u.keys`,
      "StrictModes no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "MaxStartups 100",
      "MaxSessions 50",
      "",
    ].join("\n"),
  );
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });

  let sshd: ChildProcess | undefined;
  const mounts = [
    `mount --bind ${dir}/etc /etc`,
    `mount --bind ${dir}/bin/ipvsadm /usr/sbin/ipvsadm`,
    `mount --bind ${dir}/bin/ipvsadm-save /usr/sbin/ipvsadm-save`,
    `exec /usr/sbin/sshd -D -e -f ${config}`,
  ].join(" && ");
  const startSshd = async () => {
    sshd = spawn(
      "ip",
      ["netns", "exec", ns, "unshare", "--mount", "--propagation", "private", "sh", "-c", mounts],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    sshd.stderr?.on("data", (c: Buffer) => {
      log += c.toString();
    });
    await waitForBanner(address, 22, () => log);
  };
  const stopSshd = async () => {
    const proc = sshd;
    sshd = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGTERM");
    await exited;
    // sshd's per-connection children outlive the listener; end every process in the namespace
    // so open sessions drop too, as when the host goes down.
    const pids = (await run("ip", ["netns", "pids", ns])).stdout.split(/\s+/).filter(Boolean);
    if (pids.length > 0) await run("kill", ["-KILL", ...pids]).catch(() => undefined);
  };
  await startSshd();

  return {
    name: opts.name,
    address,
    fingerprint,
    dir,
    exec: async (argv) => (await nsRun(argv)).stdout,
    ipvs: () =>
      existsSync(ipvsState)
        ? (JSON.parse(readFileSync(ipvsState, "utf8")) as ClusterState).services
        : [],
    failIpvsadmOn: (text) => {
      if (text === null) rmSync(`${ipvsState}.fail`, { force: true });
      else writeFileSync(`${ipvsState}.fail`, text);
    },
    holdIpvsadmOn: (text) => {
      rmSync(`${ipvsState}.holding`, { force: true });
      writeFileSync(`${ipvsState}.hold`, text);
      return {
        reached: async (timeoutMs = 30_000) => {
          const deadline = Date.now() + timeoutMs;
          while (!existsSync(`${ipvsState}.holding`)) {
            if (Date.now() > deadline) {
              throw new Error(`${opts.name}: no ipvsadm command matching "${text}" came`);
            }
            await new Promise((r) => setTimeout(r, 25));
          }
        },
        release: () => {
          rmSync(`${ipvsState}.hold`, { force: true });
          rmSync(`${ipvsState}.holding`, { force: true });
        },
      };
    },
    dropSessions: async () => {
      const pidFile = path.join(dir, "sshd.pid");
      const listener = new Set([String(sshd?.pid)]);
      if (existsSync(pidFile)) listener.add(readFileSync(pidFile, "utf8").trim());
      const pids = (await run("ip", ["netns", "pids", ns])).stdout
        .split(/\s+/)
        .filter((pid) => pid !== "" && !listener.has(pid));
      if (pids.length > 0) await run("kill", ["-KILL", ...pids]).catch(() => undefined);
    },
    etcFile: (relative) => {
      const file = path.join(dir, "etc", relative);
      return existsSync(file) ? readFileSync(file, "utf8") : null;
    },
    stopSshd,
    startSshd,
    setLink: async (up) => {
      await nsRun(["ip", "link", "set", nsIf, up ? "up" : "down"]);
      if (up) await waitForBanner(address, 22, () => "");
    },
    stop: async () => {
      await stopSshd();
      await run("ip", ["netns", "del", ns]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForBanner(host: string, port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ host, port });
      sock.once("data", (d) => {
        sock.destroy();
        resolve(d.toString().startsWith("SSH-"));
      });
      sock.once("error", () => resolve(false));
      sock.setTimeout(1000, () => {
        sock.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd on ${host}:${port} did not come up:\n${log()}`);
}
