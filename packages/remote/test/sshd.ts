// Test fixture: real OpenSSH sshd processes on loopback, each with its own temp dir, host key,
// authorized keys and log, plus client keys made with ssh-keygen. Needs root (sshd privsep).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { link, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const TEST_USER = "lvstest";

export interface ClientKeys {
  dir: string;
  ed25519: string;
  rsa: string;
  ecdsa: string;
  /** ed25519, encrypted with `passphrase`. */
  ed25519Encrypted: string;
  /** RSA in the old PEM format, encrypted with `passphrase`. */
  rsaPemEncrypted: string;
  passphrase: string;
  /** authorized_keys lines for every key above. */
  authorizedKeys: string;
}

export async function makeClientKeys(): Promise<ClientKeys> {
  const dir = await mkdtemp(path.join(tmpdir(), "lvs-remote-keys-"));
  const passphrase = "correct horse battery staple";
  const gen = async (name: string, args: string[], pass = "") => {
    const file = path.join(dir, name);
    await run("ssh-keygen", ["-q", ...args, "-N", pass, "-C", name, "-f", file]);
    return {
      priv: await readFile(file, "utf8"),
      pub: await readFile(`${file}.pub`, "utf8"),
    };
  };
  const [ed, rsa, ecdsa, edEnc, rsaPem] = await Promise.all([
    gen("id_ed25519", ["-t", "ed25519"]),
    gen("id_rsa", ["-t", "rsa", "-b", "2048"]),
    gen("id_ecdsa", ["-t", "ecdsa", "-b", "256"]),
    gen("id_ed25519_enc", ["-t", "ed25519"], passphrase),
    gen("id_rsa_pem", ["-t", "rsa", "-b", "2048", "-m", "PEM"], passphrase),
  ]);
  return {
    dir,
    ed25519: ed.priv,
    rsa: rsa.priv,
    ecdsa: ecdsa.priv,
    ed25519Encrypted: edEnc.priv,
    rsaPemEncrypted: rsaPem.priv,
    passphrase,
    authorizedKeys: `${[ed, rsa, ecdsa, edEnc, rsaPem].map((k) => k.pub.trim()).join("\n")}\n`,
  };
}

/**
 * Creates the unprivileged test user (once) and returns its password. Test files run in parallel
 * workers, so the password is chosen once per machine and shared through a root-only file
 * (link() fails if another worker got there first) rather than reset by each file.
 */
export async function ensureTestUser(user: string = TEST_USER): Promise<string> {
  try {
    await run("id", [user]);
  } catch {
    // Another worker may be creating it at the same moment.
    await run("useradd", ["-m", "-s", "/bin/sh", user]).catch(() => run("id", [user]));
  }
  const file = path.join(
    tmpdir(),
    user === TEST_USER ? "lvs-remote-test-user.pw" : `lvs-remote-test-user-${user}.pw`,
  );
  const draft = `${file}.${process.pid}`;
  await writeFile(draft, `pw-${randomBytes(12).toString("hex")}-Aa1`, { mode: 0o600 });
  await link(draft, file).catch(() => {});
  await rm(draft, { force: true });
  const password = await readFile(file, "utf8");
  const child = spawn("chpasswd");
  child.stdin.end(`${user}:${password}\n`);
  await new Promise<void>((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd ${code}`)))),
  );
  return password;
}

export interface Sshd {
  port: number;
  dir: string;
  /** `ssh-keygen -lf <host key>.pub -E sha256` of the current host key, e.g. `SHA256:…`. */
  fingerprint: string;
  keyType: string;
  /** Everything sshd logged so far (it runs with -e and LogLevel VERBOSE). */
  log(): string;
  /** Count of successful logins, from the log. */
  logins(): number;
  /** Stop, optionally replace the host key, start again on the same port. */
  restart(opts?: { newHostKey?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export async function startSshd(opts: {
  authorizedKeys: string;
  hostKeyType?: "ed25519" | "rsa" | "ecdsa";
  logLevel?: "VERBOSE" | "DEBUG" | "DEBUG3";
  /**
   * Programs this sshd's sessions must not find (e.g. `ipvsadm`), as on a host without them: sshd
   * runs in its own mount namespace with a non-executable empty file bound over each one.
   */
  hideTools?: readonly string[];
}): Promise<Sshd> {
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(path.join(tmpdir(), "lvs-remote-sshd-"));
  const port = await freePort();
  const keyType = opts.hostKeyType ?? "ed25519";
  const hostKey = path.join(dir, `ssh_host_${keyType}_key`);
  const config = path.join(dir, "sshd_config");
  await writeFile(path.join(dir, "root.keys"), opts.authorizedKeys);
  await writeFile(path.join(dir, `${TEST_USER}.keys`), opts.authorizedKeys);
  await writeFile(
    config,
    [
      "ListenAddress 127.0.0.1",
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${dir}/%u.keys`,
      // The temp dir is world-readable /tmp territory; StrictModes would reject it.
      "StrictModes no",
      // Without PAM, password auth checks /etc/shadow directly (works as root).
      "UsePAM no",
      "PasswordAuthentication yes",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "AllowTcpForwarding yes",
      `LogLevel ${opts.logLevel ?? "VERBOSE"}`,
      "MaxStartups 100",
      "",
    ].join("\n"),
  );

  let child: ChildProcess | undefined;
  let logText = "";
  const info = { fingerprint: "", keyType: "" };

  const makeHostKey = async () => {
    await rm(hostKey, { force: true });
    await rm(`${hostKey}.pub`, { force: true });
    const bits = keyType === "rsa" ? ["-b", "2048"] : [];
    await run("ssh-keygen", ["-q", "-t", keyType, ...bits, "-N", "", "-f", hostKey]);
    const { stdout } = await run("ssh-keygen", ["-lf", `${hostKey}.pub`, "-E", "sha256"]);
    // "256 SHA256:abc… root@host (ED25519)"
    const fields = stdout.trim().split(/\s+/);
    info.fingerprint = fields[1] ?? "";
    info.keyType = keyType === "ed25519" ? "ssh-ed25519" : keyType === "rsa" ? "ssh-rsa" : "";
    if (keyType === "ecdsa") info.keyType = "ecdsa-sha2-nistp256";
  };

  const sshdArgv = ["/usr/sbin/sshd", "-D", "-e", "-f", config];
  const hidden = opts.hideTools ?? [];
  if (hidden.length > 0) await writeFile(path.join(dir, "no-such-tool"), "", { mode: 0o644 });
  const start = async () => {
    const [command = "", ...args] =
      hidden.length === 0
        ? sshdArgv
        : [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "--",
            "sh",
            "-c",
            // Every copy on the usual paths, so no PATH order finds another one.
            'blank=$1; shift; n=$1; shift; i=0; while [ $i -lt "$n" ]; do for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do [ -e "$d/$1" ] && mount --bind "$blank" "$d/$1"; done; shift; i=$((i+1)); done; exec "$@"',
            "sh",
            path.join(dir, "no-such-tool"),
            String(hidden.length),
            ...hidden,
            ...sshdArgv,
          ];
    const proc = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    proc.stderr?.on("data", (chunk: Buffer) => {
      logText += chunk.toString("utf8");
    });
    await waitForSshBanner(port, proc, () => logText);
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGTERM");
    await exited;
  };

  await makeHostKey();
  await start();

  return {
    port,
    dir,
    get fingerprint() {
      return info.fingerprint;
    },
    get keyType() {
      return info.keyType;
    },
    log: () => logText,
    logins: () => logText.match(/Accepted (publickey|password) for /g)?.length ?? 0,
    restart: async (o = {}) => {
      await stop();
      if (o.newHostKey) await makeHostKey();
      await start();
    },
    stop: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject()));
    });
  });
}

/** Resolves once the port answers with an SSH identification string. */
async function waitForSshBanner(
  port: number,
  proc: ChildProcess,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`sshd exited ${proc.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, "127.0.0.1");
      sock.setTimeout(1000);
      sock.once("data", (d) => {
        sock.destroy();
        resolve(d.toString().startsWith("SSH-"));
      });
      sock.once("error", () => resolve(false));
      sock.once("timeout", () => {
        sock.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd on port ${port} did not come up:\n${log()}`);
}

/**
 * Lets the test user run anything as root without a password, the way a director account is set
 * up; returns the function that takes it back. The file is checked with visudo before use.
 */
export async function grantTestUserSudo(user: string = TEST_USER): Promise<() => Promise<void>> {
  const file = `/etc/sudoers.d/lvs-remote-test-${user === TEST_USER ? "" : `${user}-`}${process.pid}`;
  await writeFile(file, `${user} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
  try {
    await run("visudo", ["-cf", file]);
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  return () => rm(file, { force: true });
}
