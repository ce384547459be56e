// The lab CLI on a machine it has never run on: an empty HOME, so no ~/.cache/lvs-panel-lab yet.
// `up` is stopped right after it takes the lab lock (an unresolvable kernel package fails the
// image build before anything is downloaded), so this runs without qemu or a network.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const cli = new URL("./cli.ts", import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), "lab-cli-home-"));
const cache = join(home, ".cache", "lvs-panel-lab");

function lab(...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    // Not a valid package name: the build refuses it before running apt-get.
    LVS_PANEL_LAB_KERNEL_PACKAGE: "no-such-kernel",
    // A port nothing listens on, so `status` cannot mistake another lab for this one.
    LVS_PANEL_LAB_SSH_PORT: "2299",
  };
  const r = spawnSync(process.execPath, ["--import", "tsx", cli, ...args], {
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("lab CLI with an empty HOME", () => {
  it("up creates the cache folder, takes and releases the lock, and fails only at the build", () => {
    expect(existsSync(cache)).toBe(false);
    const up = lab("up");
    expect(up.out).not.toMatch(/ENOENT/);
    expect(up.out).toMatch(/cannot resolve linux-image-amd64 to a kernel package/);
    expect(up.code).toBe(1);
    // It got past the lock: the keys were made inside it, and the lock is gone again.
    expect(existsSync(join(cache, "keys", "id_ed25519"))).toBe(true);
    expect(readdirSync(cache)).not.toContain("lab.lock");
  });

  it("status says the lab is down (exit 1), down says it was not running (exit 0)", () => {
    const status = lab("status");
    expect(status.out).toMatch(/lab is down/);
    expect(status.code).toBe(1);
    const down = lab("down");
    expect(down.out).toMatch(/lab was not running/);
    expect(down.code).toBe(0);
  });
});
