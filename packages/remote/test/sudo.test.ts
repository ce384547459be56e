// A non-root login with `sudo: true`: commands run as root through `sudo -n`, quoting survives the
// extra shell, timeouts still kill the (root-owned) command, and a missing sudo rule fails fast.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandTimeoutError, SshPool, type SshTarget } from "../src/index.ts";
import {
  type ClientKeys,
  ensureTestUser,
  grantTestUserSudo,
  makeClientKeys,
  type Sshd,
  startSshd,
  TEST_USER,
} from "./sshd.ts";

const hasSudo = existsSync("/usr/bin/sudo");

let keys: ClientKeys;
let sshd: Sshd;
let password: string;
const pool = new SshPool({ connectTimeoutMs: 5000 });

beforeAll(async () => {
  if (!hasSudo) return;
  keys = await makeClientKeys();
  password = await ensureTestUser();
  sshd = await startSshd({ authorizedKeys: keys.authorizedKeys });
});

afterAll(async () => {
  await pool.closeAll();
  await sshd?.stop();
  if (keys) await rm(keys.dir, { recursive: true, force: true });
});

function target(over: Partial<SshTarget> = {}): SshTarget {
  return {
    id: "rs-sudo",
    address: "127.0.0.1",
    port: sshd.port,
    username: TEST_USER,
    auth: { type: "password", password },
    hostKeyFingerprint: sshd.fingerprint,
    sudo: true,
    ...over,
  };
}

describe.skipIf(!hasSudo)("sudo (skipped when /usr/bin/sudo is not installed)", () => {
  it("fails fast, without prompting, when the user has no sudo rule", async () => {
    const res = await pool.run(target(), { argv: ["id", "-un"] }, { timeoutMs: 5000 });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("a password is required");
    // The same on a session: its shell cannot start, and sudo's status and message are the result.
    const session = pool.session(target());
    const viaShell = await session.run({ argv: ["id", "-un"] }, { timeoutMs: 5000 });
    expect(viaShell.code).not.toBe(0);
    expect(viaShell.stderr).toContain("a password is required");
    await session.close();
    // Also when the refusal arrives with the shell's start, before its first command is written
    // (a busy event loop reads both at once): the result, and the connection stays.
    const late = pool.session(target());
    const running = late.run({ argv: ["id", "-un"] }, { timeoutMs: 5000 });
    // The channel opens, then the exec request goes: stall every turn of the loop meanwhile.
    const stall = setInterval(() => {
      const until = Date.now() + 150;
      while (Date.now() < until);
    }, 1);
    const result = await running.finally(() => clearInterval(stall));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("a password is required");
    expect(pool.size).toBe(1);
    await late.close();
  });

  describe("with a NOPASSWD rule", () => {
    let revoke: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      revoke = await grantTestUserSudo();
    });
    afterAll(async () => {
      await revoke?.();
    });

    it("runs argv as root", async () => {
      expect((await pool.run(target(), { argv: ["id", "-un"] })).stdout).toBe("root\n");
    });

    it("runs a session's commands as root, in one root shell", async () => {
      const session = pool.session(target());
      const first = await session.run({ script: 'echo "$(id -u) $$"' });
      const second = await session.run({ script: 'echo "$(id -u) $$"' });
      expect(first.stdout).toMatch(/^0 \d+\n$/);
      expect(second.stdout).toBe(first.stdout);
      await session.close();
    });

    it("runs scripts as root", async () => {
      const res = await pool.run(target(), { script: 'set -e\nu=$(id -u)\necho "uid=$u"' });
      expect(res).toMatchObject({ code: 0, stdout: "uid=0\n" });
    });

    it("delivers hostile arguments verbatim through the extra shell", async () => {
      const sentinel = `/tmp/lvs-remote-sudo-pwned-${process.pid}`;
      const args = [`'; touch ${sentinel}; '`, `$(touch ${sentinel})`, `\`id\``, "a\nb", `"\\"`];
      const res = await pool.run(target(), { argv: ["printf", "[%s]", ...args] });
      expect(res.stdout).toBe(args.map((a) => `[${a}]`).join(""));
      try {
        expect(existsSync(sentinel)).toBe(false);
      } finally {
        await rm(sentinel, { force: true });
      }
    });

    it("kills a timed-out root command", async () => {
      const marker = `7.${process.pid}`;
      await expect(
        pool.run(target(), { argv: ["sleep", marker] }, { timeoutMs: 400 }),
      ).rejects.toBeInstanceOf(CommandTimeoutError);
      const left = await pool.run(target({ sudo: false }), {
        argv: ["pgrep", "-f", `sleep ${marker.replace(".", "[.]")}`],
      });
      expect(left.stdout).toBe("");
    });
  });
});
