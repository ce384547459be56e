// Starts, finds and stops the lab VM: qemu under TCG (no KVM here), daemonized, with the guest's
// sshd forwarded to a loopback port. QMP gives a clean stop without guest cooperation.
import { readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import type { ImageInfo } from "./build-image.ts";
import type { LabKeys } from "./keys.ts";
import { concatInitramfs, renderOverlay } from "./overlay.ts";
import { type RunPaths, runPaths } from "./paths.ts";
import { runCommand } from "./run-command.ts";

export interface VmState {
  readonly pid: number;
  readonly sshPort: number;
  readonly imageHash: string;
  readonly startedAt: string;
  readonly serialLog: string;
}

const MEMORY_MB = 1536;

/** qemu splits option values at commas; a literal comma is written twice. */
function qemuValue(value: string): string {
  return value.replaceAll(",", ",,");
}

export function qemuArgv(image: ImageInfo, paths: RunPaths, sshPort: number): string[] {
  return [
    "qemu-system-x86_64",
    "-name",
    "lvs-panel-lab",
    "-accel",
    "tcg",
    "-smp",
    "2",
    "-m",
    String(MEMORY_MB),
    "-nodefaults",
    "-no-user-config",
    "-display",
    "none",
    "-no-reboot",
    "-kernel",
    image.kernel,
    "-initrd",
    paths.initrd,
    // panic=-1 plus -no-reboot: a guest panic ends qemu instead of leaving a dead VM around.
    "-append",
    "console=ttyS0 quiet panic=-1",
    "-serial",
    `file:${qemuValue(paths.serialLog)}`,
    // restrict=on: the guest cannot reach any network; only the hostfwd'd sshd is exposed.
    "-netdev",
    `user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:${sshPort}-:22`,
    "-device",
    "e1000,netdev=net0",
    "-qmp",
    `unix:${qemuValue(paths.qmpSocket)},server=on,wait=off`,
    "-pidfile",
    paths.pidFile,
    "-daemonize",
  ];
}

function isOurQemu(pid: number, paths: RunPaths): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return cmdline.some((arg) => arg.includes("qemu-system")) && cmdline.includes(paths.pidFile);
  } catch {
    return false;
  }
}

/** The running lab VM, if any; a pidfile whose process is gone (or is not our qemu) is stale. */
export async function runningVm(): Promise<VmState | undefined> {
  const paths = runPaths();
  const state = await readFile(paths.state, "utf8").then(
    (text) => JSON.parse(text) as VmState,
    () => undefined,
  );
  const pid = Number((await readFile(paths.pidFile, "utf8").catch(() => "")).trim());
  if (state === undefined || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (!isOurQemu(pid, paths)) return undefined;
  return { ...state, pid };
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", () =>
      reject(new Error(`127.0.0.1:${port} is in use; set LVS_PANEL_LAB_SSH_PORT to another port`)),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

export async function bootVm(image: ImageInfo, keys: LabKeys, sshPort: number): Promise<VmState> {
  const paths = runPaths();
  await assertPortFree(sshPort);
  await mkdir(paths.dir, { recursive: true });
  for (const file of [paths.pidFile, paths.serialLog, paths.qmpSocket, paths.state]) {
    await rm(file, { force: true });
  }
  const base = await readFile(image.initramfs);
  await writeFile(paths.initrd, concatInitramfs(base, await renderOverlay(keys)));
  await runCommand(qemuArgv(image, paths, sshPort));
  const pid = Number((await readFile(paths.pidFile, "utf8")).trim());
  const state: VmState = {
    pid,
    sshPort,
    imageHash: image.hash,
    startedAt: new Date().toISOString(),
    serialLog: paths.serialLog,
  };
  await writeFile(paths.state, `${JSON.stringify(state, null, 2)}\n`);
  return state;
}

async function qmpQuit(socketPath: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect(socketPath);
    let buffered = "";
    let sent = false;
    socket.setTimeout(5000, () => socket.destroy(new Error("QMP timed out")));
    socket.on("data", (chunk) => {
      buffered += chunk.toString("utf8");
      // The greeting arrives first; capabilities negotiation must precede any command.
      if (!sent && buffered.includes('"QMP"')) {
        sent = true;
        socket.write('{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n');
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve());
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

/** Stops the VM: QMP quit, then SIGTERM, then SIGKILL, only ever to the pid qemu wrote. */
export async function stopVm(): Promise<boolean> {
  const paths = runPaths();
  const vm = await runningVm();
  if (vm !== undefined) {
    await qmpQuit(paths.qmpSocket).catch(() => undefined);
    if (!(await waitForExit(vm.pid, 10_000)) && isOurQemu(vm.pid, paths)) {
      process.kill(vm.pid, "SIGTERM");
      if (!(await waitForExit(vm.pid, 5_000)) && isOurQemu(vm.pid, paths)) {
        process.kill(vm.pid, "SIGKILL");
        await waitForExit(vm.pid, 5_000);
      }
    }
  }
  for (const file of [paths.pidFile, paths.qmpSocket, paths.state, paths.initrd]) {
    await rm(file, { force: true });
  }
  return vm !== undefined;
}
