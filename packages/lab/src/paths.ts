// Where the lab keeps its cache (images, keys) and the running VM's files.
import { homedir } from "node:os";
import { join } from "node:path";

export function cacheDir(): string {
  const fromEnv = process.env.LVS_PANEL_LAB_CACHE;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return join(homedir(), ".cache", "lvs-panel-lab");
}

export const DEFAULT_SSH_PORT = 2222;

/** The loopback port the guest's sshd is forwarded to; validated because it lands in qemu args. */
export function sshPortFromEnv(): number {
  const raw = process.env.LVS_PANEL_LAB_SSH_PORT;
  if (raw === undefined || raw === "") return DEFAULT_SSH_PORT;
  const port = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`LVS_PANEL_LAB_SSH_PORT must be a port number, got ${JSON.stringify(raw)}`);
  }
  return port;
}

export function imageDir(hash: string): string {
  return join(cacheDir(), "images", hash);
}

export function workDir(): string {
  return join(cacheDir(), "work");
}

export function keysDir(): string {
  return join(cacheDir(), "keys");
}

export interface RunPaths {
  readonly dir: string;
  readonly pidFile: string;
  readonly serialLog: string;
  readonly qmpSocket: string;
  readonly initrd: string;
  readonly state: string;
}

export function runPaths(): RunPaths {
  const dir = join(cacheDir(), "run");
  return {
    dir,
    pidFile: join(dir, "qemu.pid"),
    serialLog: join(dir, "serial.log"),
    qmpSocket: join(dir, "qmp.sock"),
    initrd: join(dir, "initrd.img"),
    state: join(dir, "state.json"),
  };
}
