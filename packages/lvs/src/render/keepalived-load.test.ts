// The load script's decisions, run by the host's own sh against a stand-in `keepalived` that
// answers `-t` as told (the lab's e2e runs it against the real keepalived 2.2.7): a refused
// configuration never replaces the live one and its words reach the apply; a clean or benign
// check replaces it and reloads the running process with SIGHUP.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keepalivedCheckVerdict } from "./keepalived-conf.ts";
import { BENIGN_CHECK_PATTERNS, renderKeepalivedLoad } from "./keepalived-load.ts";

const run = promisify(execFile);
let dir = "";
let running: ChildProcess | undefined;

async function standIn(exitCode: number, output: string) {
  await writeFile(
    path.join(dir, "bin", "keepalived"),
    `#!/bin/sh\nprintf '%s\\n' ${JSON.stringify(output)} >&2\nexit ${exitCode}\n`,
  );
  await chmod(path.join(dir, "bin", "keepalived"), 0o755);
}

async function load(config: string) {
  const paths = { conf: path.join(dir, "etc", "keepalived.conf"), pid: path.join(dir, "k.pid") };
  try {
    const out = await run("sh", ["-c", renderKeepalivedLoad(config, paths)], {
      env: { PATH: `${path.join(dir, "bin")}:/usr/bin:/bin` },
    });
    return { code: 0, stderr: out.stderr };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

const live = () => readFile(path.join(dir, "etc", "keepalived.conf"), "utf8");

describe("renderKeepalivedLoad", () => {
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "keepalived-load-"));
    await run("mkdir", ["-p", path.join(dir, "bin"), path.join(dir, "etc")]);
    await writeFile(path.join(dir, "etc", "keepalived.conf"), "# the running one\n");
    // A process standing in for the running keepalived: SIGHUP ends it (sleep's default).
    running = spawn("sleep", ["60"], { stdio: "ignore" });
    await writeFile(path.join(dir, "k.pid"), `${running.pid}\n`);
  });
  afterEach(async () => {
    running?.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("a refused configuration leaves the running one, says why, and signals nothing", async () => {
    await standIn(4, "Configuration file '/x' does not exist");
    const result = await load("virtual_server broken {\n");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "keepalived refused the new configuration (keepalived -t exited 4)",
    );
    expect(result.stderr).toContain("does not exist");
    expect(await live()).toBe("# the running one\n");
    expect(running?.exitCode === null && running.signalCode === null).toBe(true);
  });

  it("exit 5 is refused unless every line is one keepalived cannot be spared", async () => {
    await standIn(5, "Unknown keyword 'lb_algoo'");
    expect((await load("x\n")).code).toBe(1);
    expect(await live()).toBe("# the running one\n");
    const benign =
      "Warning - quorum 1 for [192.0.2.1]:tcp:80 exceeds total weight of real servers 0, reducing quorum to 0";
    await standIn(5, benign);
    expect((await load("y\n")).code).toBe(0);
    expect(await live()).toBe("y\n");
    // The TypeScript verdict and the shell agree on the same line.
    expect(keepalivedCheckVerdict(5, benign)).toEqual({ ok: true });
    expect(BENIGN_CHECK_PATTERNS.length).toBeGreaterThan(0);
  });

  it("a clean check replaces the file and reloads the running process with SIGHUP", async () => {
    await standIn(0, "");
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      running?.on("exit", (_code, signal) => resolve(signal)),
    );
    expect((await load("global_defs {\n}\n")).code).toBe(0);
    expect(await live()).toBe("global_defs {\n}\n");
    expect(await exited).toBe("SIGHUP");
  });
});
