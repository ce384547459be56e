// SshPool against a real sshd: reuse, scripts, timeouts, hostile arguments, parallelism.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import {
  CommandTimeoutError,
  HostUnreachableError,
  InvalidCommandError,
  OutputTooLargeError,
} from "../src/index.ts";
import { usePoolFixture } from "./pool-fixture.ts";
import { freePort, startSshd, TEST_USER } from "./sshd.ts";

const fixture = usePoolFixture();
const { newPool, target } = fixture;

describe("running commands", () => {
  it("runs argv and reports code, stdout, stderr and duration", async () => {
    const pool = newPool();
    const ok = await pool.run(target(), { argv: ["sh", "-c", "echo out; echo err >&2; exit 3"] });
    expect(ok).toMatchObject({ code: 3, signal: null, stdout: "out\n", stderr: "err\n" });
    expect(ok.durationMs).toBeGreaterThan(0);
  });

  it("feeds stdin to argv commands and sends EOF when there is none", async () => {
    const runner = newPool().runner(target());
    expect((await runner.run({ argv: ["cat"] }, { stdin: "héllo\nwörld" })).stdout).toBe(
      "héllo\nwörld",
    );
    // Without stdin, `cat` must see EOF at once rather than hang until the timeout.
    expect(await runner.run({ argv: ["cat"] }, { timeoutMs: 3000 })).toMatchObject({
      code: 0,
      stdout: "",
    });
  });

  it("runs a script sent on stdin; commands inside cannot swallow the rest of it", async () => {
    const runner = newPool().runner(target());
    const script = ["set -e", "cat", "x='it''s'", 'echo "after $x"', "false", "echo never"].join(
      "\n",
    );
    const res = await runner.run({ script });
    expect(res.stdout).toBe("after its\n");
    expect(res.code).toBe(1);
  });

  it("runs nothing of a script that does not parse", async () => {
    const res = await newPool().run(target(), { script: 'echo ran\nif then fi "' });
    expect(res.stdout).toBe("");
    expect(res.code).not.toBe(0);
  });

  it("runs a script larger than one argument may be (128 KiB)", async () => {
    const filler = `# ${"x".repeat(1000)}\n`.repeat(300);
    const res = await newPool().run(target(), { script: `${filler}echo big done` });
    expect(res).toMatchObject({ code: 0, stdout: "big done\n" });
  });

  it("rejects a script combined with stdin and NUL in argv, before connecting", async () => {
    const pool = newPool();
    await expect(pool.run(target(), { script: "true" }, { stdin: "x" })).rejects.toBeInstanceOf(
      InvalidCommandError,
    );
    await expect(pool.run(target(), { argv: ["echo", "a\0b"] })).rejects.toBeInstanceOf(
      InvalidCommandError,
    );
    await expect(pool.run(target(), { argv: [] })).rejects.toBeInstanceOf(InvalidCommandError);
    expect(pool.size).toBe(0);
  });

  it("runs as a password-authenticated non-root user", async () => {
    const res = await newPool().run(
      target({
        id: "rs",
        username: TEST_USER,
        auth: { type: "password", password: fixture.password },
      }),
      {
        argv: ["id", "-un"],
      },
    );
    expect(res.stdout).toBe(`${TEST_USER}\n`);
  });

  it("kills a timed-out command of a non-root login", async () => {
    const pool = newPool();
    const t = target({
      id: "rs",
      username: TEST_USER,
      auth: { type: "password", password: fixture.password },
    });
    const marker = `6.${process.pid}`;
    await expect(
      pool.run(t, { argv: ["sleep", marker] }, { timeoutMs: 300 }),
    ).rejects.toBeInstanceOf(CommandTimeoutError);
    const left = await pool.run(t, {
      argv: ["pgrep", "-f", `sleep ${marker.replace(".", "[.]")}`],
    });
    expect(left.stdout).toBe("");
  });
});

describe("hostile arguments", () => {
  const sentinel = `/tmp/lvs-remote-pwned-${process.pid}`;
  // Only a failing run creates it; do not leave it behind for the next one.
  afterAll(() => rm(sentinel, { force: true }));
  const hostile = [
    `; touch ${sentinel}`,
    `$(touch ${sentinel})`,
    `\`touch ${sentinel}\``,
    `a\ntouch ${sentinel}\n`,
    `'; touch ${sentinel}; echo '`,
    `"; touch ${sentinel}; echo "`,
    `\\'\\"`,
    `| touch ${sentinel}`,
    `&& touch ${sentinel} &`,
    "$HOME $PATH * ? [a-z] ~root",
    "-n",
    "",
    " leading and trailing ",
    "ünïcödé ✓ 日本語 🚀",
    "tab\there\r\n",
  ];

  it.each(hostile.map((arg) => [JSON.stringify(arg), arg]))(
    "delivers %s verbatim and runs nothing",
    async (_name, arg) => {
      const res = await newPool().run(target(), { argv: ["printf", "%s", arg ?? ""] });
      expect(res.stdout).toBe(arg);
      expect(res.code).toBe(0);
      expect(existsSync(sentinel)).toBe(false);
    },
  );

  it("keeps argument boundaries across a whole argv", async () => {
    const res = await newPool().run(target(), { argv: ["printf", "[%s]\\n", ...hostile] });
    expect(res.stdout).toBe(hostile.map((a) => `[${a}]\n`).join(""));
    expect(existsSync(sentinel)).toBe(false);
  });
});

describe("connection reuse", () => {
  it("runs sequential and concurrent commands over one connection", async () => {
    const pool = newPool();
    const before = fixture.sshd.logins();
    await pool.run(target(), { argv: ["true"] });
    await pool.run(target(), { argv: ["true"] });
    await Promise.all(
      Array.from({ length: 12 }, () => pool.run(target(), { argv: ["sleep", "0.1"] })),
    );
    expect(fixture.sshd.logins() - before).toBe(1);
    expect(pool.size).toBe(1);
  });

  it("keeps the exit status of every one of many short parallel commands", async () => {
    // A /bin/sh login answers fast enough that exit-status often shares a TCP read with the exec
    // confirmation; listeners attached late lost it, and channels beyond MaxSessions get refused.
    const pool = newPool();
    const t = target({
      id: "rs",
      username: TEST_USER,
      auth: { type: "password", password: fixture.password },
    });
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => pool.run(t, { argv: ["sh", "-c", `exit ${i % 7}`] })),
    );
    expect(results.map((r) => r.code)).toEqual(Array.from({ length: 300 }, (_, i) => i % 7));
  });

  it("closes an idle connection and reconnects on the next command", async () => {
    const pool = newPool({ idleTimeoutMs: 150 });
    const before = fixture.sshd.logins();
    await pool.run(target(), { argv: ["true"] });
    expect(pool.size).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(pool.size).toBe(0);
    await pool.run(target(), { argv: ["true"] });
    expect(fixture.sshd.logins() - before).toBe(2);
  });

  it("opens a new connection when a host's settings change", async () => {
    const pool = newPool();
    const before = fixture.sshd.logins();
    await pool.run(target(), { argv: ["true"] });
    await pool.run(target({ auth: { type: "key", privateKey: fixture.keys.rsa } }), {
      argv: ["true"],
    });
    expect(fixture.sshd.logins() - before).toBe(2);
    expect(pool.size).toBe(1);
  });

  it("reconnects after the server dropped the connection", async () => {
    const pool = newPool();
    const own = await startSshd({ authorizedKeys: fixture.keys.authorizedKeys });
    try {
      const t = target({ id: "flaky", port: own.port, hostKeyFingerprint: own.fingerprint });
      await pool.run(t, { argv: ["true"] });
      await own.restart();
      await new Promise((r) => setTimeout(r, 100));
      expect((await pool.run(t, { argv: ["echo", "back"] })).stdout).toBe("back\n");
    } finally {
      await pool.closeAll();
      await own.stop();
    }
  });

  it("closeAll ends every connection", async () => {
    const pool = newPool();
    await pool.run(target({ id: "a" }), { argv: ["true"] });
    await pool.run(target({ id: "b" }), { argv: ["true"] });
    expect(pool.size).toBe(2);
    await pool.closeAll();
    expect(pool.size).toBe(0);
  });
});

describe("timeouts", () => {
  it("kills a command that runs past its timeout and keeps the connection usable", async () => {
    const pool = newPool();
    const before = fixture.sshd.logins();
    const marker = `5.${process.pid}`;
    const started = Date.now();
    const err = await pool
      .run(target(), { script: `echo started; sleep ${marker}` }, { timeoutMs: 500 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandTimeoutError);
    expect((err as CommandTimeoutError).code).toBe("SSH_COMMAND_TIMEOUT");
    expect((err as CommandTimeoutError).partial.stdout).toBe("started\n");
    // 500 ms plus the kill over a second channel; far below the 5 s the command wanted.
    expect(Date.now() - started).toBeLessThan(4000);
    // The remote process is gone, not just abandoned, by the time the error arrives.
    const pattern = `sleep ${marker.replace(".", "[.]")}`;
    const left = await pool.run(target(), { argv: ["pgrep", "-f", pattern] });
    expect(left.stdout).toBe("");
    expect(fixture.sshd.logins() - before).toBe(1);
  });

  it("kills a command whose output passes the cap", async () => {
    const pool = newPool({ maxOutputBytes: 100_000 });
    const marker = `flood-${process.pid}`;
    const err = await pool.run(target(), { argv: ["yes", marker] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputTooLargeError);
    expect((err as OutputTooLargeError).code).toBe("SSH_OUTPUT_TOO_LARGE");
    const left = await pool.run(target(), {
      argv: ["pgrep", "-f", `yes ${marker.replace("f", "[f]")}`],
    });
    expect(left.stdout).toBe("");
    const under = await pool.run(target(), { argv: ["head", "-c", "99000", "/dev/zero"] });
    expect(under.stdout.length).toBe(99000);
  });

  it("kills argv commands too", async () => {
    const pool = newPool({ commandTimeoutMs: 300 });
    await expect(pool.run(target(), { argv: ["sleep", "5"] })).rejects.toBeInstanceOf(
      CommandTimeoutError,
    );
  });
});

describe("runOnHosts", () => {
  it("never runs more hosts at once than the concurrency, and isolates failures", async () => {
    const pool = newPool();
    const hosts = Array.from({ length: 6 }, (_, i) => target({ id: `rs-${i}` }));
    const deadPort = await freePort();
    hosts.push(target({ id: "dead", port: deadPort }));
    let inFlight = 0;
    let peak = 0;
    const started = Date.now();
    const results = await pool.runOnHosts(
      hosts,
      async (runner) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          return (await runner.run({ argv: ["sh", "-c", "sleep 0.3; hostname"] })).code;
        } finally {
          inFlight--;
        }
      },
      { concurrency: 2 },
    );
    expect(peak).toBe(2);
    // 7 hosts, 2 at a time: at least 3 full rounds of 300 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(results.map((r) => r.item.id)).toEqual(hosts.map((h) => h.id));
    expect(results.slice(0, 6).every((r) => r.ok && r.value === 0)).toBe(true);
    const dead = results[6];
    expect(dead?.ok).toBe(false);
    expect(dead && !dead.ok && dead.error).toBeInstanceOf(HostUnreachableError);
  });
});

describe("stats", () => {
  it("counts connections attempted and failures by the SSH layer's code (for /metrics)", async () => {
    const pool = newPool();
    await pool.run(target(), { argv: ["true"] });
    await pool.run(target(), { argv: ["true"] });
    const dead = target({ id: "dead", port: await freePort() });
    await expect(pool.run(dead, { argv: ["true"] })).rejects.toBeInstanceOf(HostUnreachableError);
    await expect(
      pool.run(target(), { argv: ["sleep", "5"] }, { timeoutMs: 300 }),
    ).rejects.toBeInstanceOf(CommandTimeoutError);
    expect(pool.stats()).toEqual({
      connections: 1,
      connects: 2,
      connectFailures: { SSH_HOST_UNREACHABLE: 1 },
      commandFailures: { SSH_COMMAND_TIMEOUT: 1 },
    });
  });
});
