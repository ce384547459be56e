// SshPool.session against a real sshd: one remote shell for a series of commands, with the same
// results, isolation, timeouts and failure reports as one exec per command.
import { describe, expect, it } from "vitest";
import {
  type Command,
  type CommandResult,
  CommandTimeoutError,
  ConnectionLostError,
  InvalidCommandError,
  OutputTooLargeError,
  type SshPool,
} from "../src/index.ts";
import { usePoolFixture } from "./pool-fixture.ts";
import { TEST_USER } from "./sshd.ts";

const fixture = usePoolFixture();
const { newPool, target } = fixture;

/** The pid of the shell a command ran in (`$$` is the parent shell's pid inside a subshell). */
const shellPid = async (run: (c: Command) => Promise<CommandResult>) =>
  (await run({ script: "echo $$" })).stdout.trim();

/** "gone" once the process has exited (a killed one may linger a moment before it is reaped). */
async function processState(pool: SshPool, pid: string): Promise<string> {
  const wait = `i=0; while kill -0 ${pid} 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done`;
  const check = `kill -0 ${pid} 2>/dev/null && echo alive || echo gone`;
  return (await pool.run(target(), { script: `${wait}\n${check}` })).stdout.trim();
}

describe("one shell for a series of commands", () => {
  it("runs every command in the same remote shell; plain runs start a new one each", async () => {
    const pool = newPool();
    const session = pool.session(target());
    const pids = [];
    for (let i = 0; i < 3; i++) pids.push(await shellPid((c) => session.run(c)));
    expect(new Set(pids).size).toBe(1);
    const plain = [];
    for (let i = 0; i < 2; i++) plain.push(await shellPid((c) => pool.run(target(), c)));
    expect(new Set([...plain, pids[0]]).size).toBe(3);
    await session.close();
  });

  it("reports stdout, stderr and exit status exactly, with or without a final newline", async () => {
    const session = newPool().session(target());
    expect(
      await session.run({ script: "printf 'no newline'; printf 'err' >&2; exit 3" }),
    ).toMatchObject({ code: 3, signal: null, stdout: "no newline", stderr: "err" });
    expect(await session.run({ argv: ["printf", "%s\\n\\n", "héllo"] })).toMatchObject({
      code: 0,
      stdout: "héllo\n\n",
      stderr: "",
    });
    // Output that looks like an end marker is just output.
    const fake = "@@lvs-panel-end-0123456789abcdef01234567 0";
    expect((await session.run({ argv: ["printf", "\\n%s\\n", fake] })).stdout).toBe(`\n${fake}\n`);
    await session.close();
  });

  it("keeps one command's exit, options, variables and directory from the next", async () => {
    const session = newPool().session(target());
    const pid = await shellPid((c) => session.run(c));
    await session.run({ script: "set -eu; X=leaked; cd /tmp; exit 9" });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text
    const after = await session.run({ script: 'echo "${X:-unset} $(pwd) $Y"; false; echo on' });
    // `set -u` did not carry over (the unset $Y is no error), nor `set -e` (false did not stop it).
    expect(after.stdout).toBe(
      `unset ${(await newPool().run(target(), { argv: ["pwd"] })).stdout.trim()} \non\n`,
    );
    expect(await shellPid((c) => session.run(c))).toBe(pid);
    await session.close();
  });

  it("gives commands no stdin, so they cannot swallow the commands that follow", async () => {
    const session = newPool().session(target());
    expect(await session.run({ argv: ["cat"] }, { timeoutMs: 3000 })).toMatchObject({
      code: 0,
      stdout: "",
    });
    expect((await session.run({ argv: ["echo", "next"] })).stdout).toBe("next\n");
    // Commands with stdin of their own run as their own exec.
    expect((await session.run({ argv: ["cat"] }, { stdin: "fed" })).stdout).toBe("fed");
    await session.close();
  });

  it("runs nothing of a command that does not parse, and the shell carries on", async () => {
    const session = newPool().session(target());
    const pid = await shellPid((c) => session.run(c));
    const bad = await session.run({ script: 'echo ran\nif then fi "' });
    expect(bad.stdout).toBe("");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/syntax error/i);
    expect(await shellPid((c) => session.run(c))).toBe(pid);
    await session.close();
  });

  it("runs heredocs and commands larger than one argument may be (128 KiB)", async () => {
    const session = newPool().session(target());
    const filler = `# ${"x".repeat(1000)}\n`.repeat(300);
    const res = await session.run({
      script: `${filler}cat <<'EOF'\nit's $HOME\nEOF\necho "big done"`,
    });
    expect(res).toMatchObject({ code: 0, stdout: "it's $HOME\nbig done\n" });
    await session.close();
  });

  it("runs concurrent calls one after another, in call order", async () => {
    const session = newPool().session(target());
    const results = await Promise.all(
      [3, 1, 2].map((n) =>
        session
          .run({ script: `sleep 0.${n}; date +%s%N; echo ${n}` })
          .then((r) => r.stdout.split("\n")),
      ),
    );
    expect(results.map((r) => r[1])).toEqual(["3", "1", "2"]);
    const ends = results.map((r) => Number(r[0]));
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    await session.close();
  });

  it("validates commands before sending them", async () => {
    const pool = newPool();
    const session = pool.session(target());
    await expect(session.run({ argv: ["echo", "a\0b"] })).rejects.toBeInstanceOf(
      InvalidCommandError,
    );
    await expect(session.run({ script: " " })).rejects.toBeInstanceOf(InvalidCommandError);
    expect(pool.size).toBe(0);
    await session.close();
  });

  it("leaves a channel free: a session that would take the last one runs plain execs", async () => {
    const pool = newPool({ maxChannelsPerHost: 2 });
    const first = pool.session(target());
    const second = pool.session(target());
    const a = [await shellPid((c) => first.run(c)), await shellPid((c) => first.run(c))];
    const b = [await shellPid((c) => second.run(c)), await shellPid((c) => second.run(c))];
    expect(a[0]).toBe(a[1]);
    expect(b[0]).not.toBe(b[1]);
    const started = Date.now();
    expect((await pool.run(target(), { argv: ["echo", "free"] })).stdout).toBe("free\n");
    expect(Date.now() - started).toBeLessThan(3000);
    await first.close();
    await second.close();
  });

  it("runs commands after close() as plain execs, leaving no shell behind", async () => {
    const pool = newPool();
    const session = pool.session(target());
    const pid = await shellPid((c) => session.run(c));
    await session.close();
    const after = [await shellPid((c) => session.run(c)), await shellPid((c) => session.run(c))];
    expect(new Set([pid, ...after]).size).toBe(3);
    expect(await processState(pool, pid)).toBe("gone");
  });

  it("works for a non-root login", async () => {
    const session = newPool().session(
      target({
        id: "rs",
        username: TEST_USER,
        auth: { type: "password", password: fixture.password },
      }),
    );
    expect((await session.run({ argv: ["id", "-un"] })).stdout).toBe(`${TEST_USER}\n`);
    expect((await session.run({ argv: ["id", "-un"] })).stdout).toBe(`${TEST_USER}\n`);
    await session.close();
  });
});

describe("failures", () => {
  it("kills the shell of a timed-out command and starts a new one for the next", async () => {
    const pool = newPool();
    const session = pool.session(target());
    const pid = await shellPid((c) => session.run(c));
    const marker = `7.${process.pid}`;
    const err = await session
      .run({ script: `echo started; sleep ${marker}` }, { timeoutMs: 500 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandTimeoutError);
    expect((err as CommandTimeoutError).partial.stdout).toBe("started\n");
    const pattern = `sleep ${marker.replace(".", "[.]")}`;
    expect((await pool.run(target(), { argv: ["pgrep", "-f", pattern] })).stdout).toBe("");
    expect(await processState(pool, pid)).toBe("gone");
    const next = await shellPid((c) => session.run(c));
    expect(next).not.toBe(pid);
    await session.close();
  });

  it("kills the shell of a command whose output passes the cap", async () => {
    const pool = newPool({ maxOutputBytes: 100_000 });
    const session = pool.session(target());
    const marker = `flood-${process.pid}`;
    const err = await session.run({ argv: ["yes", marker] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputTooLargeError);
    const left = await pool.run(target(), {
      argv: ["pgrep", "-f", `yes ${marker.replace("f", "[f]")}`],
    });
    expect(left.stdout).toBe("");
    expect((await session.run({ argv: ["echo", "again"] })).stdout).toBe("again\n");
    // Output up to the cap passes, as with an exec: the end markers do not count against it.
    const full = await session.run({ argv: ["head", "-c", "100000", "/dev/zero"] });
    expect(full.stdout.length).toBe(100_000);
    await session.close();
  });

  it("reports a shell that dies mid-command as an exec would: its status and what it printed", async () => {
    const session = newPool().session(target());
    const res = await session.run({ script: "echo before; kill -KILL 0; echo after" });
    expect(res).toMatchObject({ signal: "SIGKILL", stdout: "before\n" });
    expect((await session.run({ argv: ["echo", "new shell"] })).stdout).toBe("new shell\n");
    await session.close();
  });

  it("reports a connection the server drops mid-command, then reconnects", async () => {
    const pool = newPool();
    const session = pool.session(target());
    // Kills the sshd process serving this connection, as a crash or a network cut would.
    const killOwnSshd = [
      "p=$$",
      'while [ "$(cat /proc/$p/comm)" != sshd ]; do p=$(cut -d " " -f 4 /proc/$p/stat); done',
      "echo going",
      "sleep 0.3", // time for sshd to pass the output on before it dies
      "kill -KILL $p",
      "sleep 5",
    ].join("\n");
    const err = await session.run({ script: killOwnSshd }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as ConnectionLostError).partial?.stdout).toBe("going\n");
    expect((await session.run({ argv: ["echo", "back"] })).stdout).toBe("back\n");
    await session.close();
  });

  it("close() ends the remote shell", async () => {
    const pool = newPool();
    const session = pool.session(target());
    const pid = await shellPid((c) => session.run(c));
    await session.close();
    expect(await processState(pool, pid)).toBe("gone");
  });
});
