// One remote `sh` kept open on one channel, fed command after command. A new exec costs a session,
// the login shell, the supervisor and `sh` on the far side: ~200 ms per command on a slow host
// (measured on the qemu lab: 250 ms for `:` by exec, 10–50 ms on an open shell). An apply reads,
// changes and persists each host in sequence, so it keeps one shell per host for the whole apply.
//
// Each command is written as `(eval '{ body }') </dev/null` followed by two end markers (one per
// stream) carrying a random tag and the exit status. The subshell keeps `exit`, `set -u` and
// variables of one command from touching the next. The body travels as one quoted word, so the
// outer shell always parses the line, whatever the body holds; eval then parses the whole `{ }`
// before running any of it, so a body that does not parse runs nothing and fails alone, and a
// truncated write runs nothing at all. Timeouts and oversize output kill the whole shell (the
// supervisor's process group), exactly like a single exec.
import { randomBytes } from "node:crypto";
import { quoteShellArg } from "@lvs-panel/lvs";
import type { ClientChannel } from "ssh2";
import type { SshConnection } from "./connect.ts";
import {
  CommandTimeoutError,
  ConnectionLostError,
  OutputTooLargeError,
  type RemoteError,
} from "./errors.ts";
import { type ExecLimits, killRemote, openExecChannel } from "./exec.ts";
import type { CommandResult } from "./runner.ts";

interface Pending {
  tag: string;
  stdout: Buffer[];
  stderr: Buffer[];
  outputBytes: number;
  stdoutTail: string;
  stderrTail: string;
  /** The stdout end marker with the exit status, at the very end of the output. */
  endLine: RegExp;
  code: number | null;
  stderrDone: boolean;
  started: number;
  timer: ReturnType<typeof setTimeout>;
  limits: ExecLimits;
  resolve: (r: CommandResult) => void;
  reject: (e: Error) => void;
}

// Enough to hold a whole end marker line (tag, status, newlines) when it arrives split.
const TAIL_BYTES = 128;
// The end markers' bytes, which do not count against a command's output cap.
const MARKER_BYTES = 2 * TAIL_BYTES;
// Output that arrives while no command runs (sudo's refusal before the first one) is kept, up to this.
const STRAY_BYTES = 64 * 1024;

export class RemoteShell {
  #pending: Pending | null = null;
  #open = true;
  /** The shell's own exit, when sshd reported one. */
  #exit: { code: number | null; signal: string | null } | null = null;
  #ranAny = false;
  #stray = { stdout: [] as Buffer[], stderr: [] as Buffer[], bytes: 0 };
  readonly ended: Promise<void>;
  #markEnded!: () => void;

  private constructor(
    private readonly conn: SshConnection,
    private readonly channel: ClientChannel,
    private readonly killText: string,
  ) {
    this.ended = new Promise((resolve) => {
      this.#markEnded = resolve;
    });
    channel.on("data", (chunk: Buffer) => this.#onData("stdout", chunk));
    channel.stderr.on("data", (chunk: Buffer) => this.#onData("stderr", chunk));
    channel.on("exit", (code: number | null, signal?: string) => {
      this.#exit = { code, signal: signal ?? null };
      // Nothing more can be written to it; what a running command printed still arrives.
      this.#open = false;
    });
    channel.on("close", () => this.#onClose());
  }

  static open(
    conn: SshConnection,
    inv: { commandText: string; killText: string },
    openTimeoutMs?: number,
  ): Promise<RemoteShell> {
    return new Promise((resolve, reject) => {
      openExecChannel(
        conn,
        inv.commandText,
        (channel) => resolve(new RemoteShell(conn, channel, inv.killText)),
        reject,
        openTimeoutMs,
      );
    });
  }

  /** False once the shell has exited, been killed or lost its connection. */
  get isOpen(): boolean {
    return this.#open;
  }

  /**
   * Runs one command (shell text) to completion; one at a time. A command is done when its end
   * markers arrive: background jobs that write after that are not supported.
   */
  run(body: string, limits: ExecLimits): Promise<CommandResult> {
    if (this.#pending) return Promise.reject(new Error("the shell is already running a command"));
    if (!this.#open && !this.#ranAny && this.#exit) {
      // The shell ended before its first command (`sudo -n` refused): what an exec of the
      // command would have reported.
      return Promise.resolve({
        ...this.#exit,
        stdout: Buffer.concat(this.#stray.stdout).toString("utf8"),
        stderr: Buffer.concat(this.#stray.stderr).toString("utf8"),
        durationMs: 0,
      });
    }
    if (!this.#open) {
      return Promise.reject(
        new ConnectionLostError(`${this.conn.label}: the shell has ended`, {
          host: this.conn.label,
        }),
      );
    }
    const tag = `@@lvs-panel-end-${randomBytes(12).toString("hex")}`;
    this.#ranAny = true;
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        tag,
        stdout: [],
        stderr: [],
        outputBytes: 0,
        stdoutTail: "",
        stderrTail: "",
        endLine: new RegExp(`\\n${tag} (\\d+)\\n$`),
        code: null,
        stderrDone: false,
        started: performance.now(),
        limits,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#stop(
            () => new CommandTimeoutError(this.conn.label, limits.timeoutMs, partialOf(pending)),
          );
        }, limits.timeoutMs),
      };
      this.#pending = pending;
      // The markers start with a newline so they begin a line whatever the output ended with;
      // that newline is not part of the output.
      this.channel.write(
        `(eval ${quoteShellArg(`{\n${body}\n}`)}) </dev/null\nprintf '\\n%s %s\\n' '${tag}' "$?"\nprintf '\\n%s\\n' '${tag}' >&2\n`,
      );
    });
  }

  /** Ends the shell: EOF on its stdin; it exits once the running command (if any) is done. */
  async close(): Promise<void> {
    if (!this.#open) return;
    this.channel.eof();
    await Promise.race([this.ended, new Promise((r) => setTimeout(r, 2000).unref())]);
    if (this.#open) this.channel.close();
  }

  #onData(stream: "stdout" | "stderr", chunk: Buffer): void {
    const p = this.#pending;
    if (!p) {
      if (this.#stray.bytes + chunk.length <= STRAY_BYTES) {
        this.#stray[stream].push(chunk);
        this.#stray.bytes += chunk.length;
      }
      return;
    }
    p.outputBytes += chunk.length;
    if (p.outputBytes > p.limits.maxOutputBytes + MARKER_BYTES) {
      this.#stop(() => new OutputTooLargeError(this.conn.label, p.limits.maxOutputBytes));
      return;
    }
    // The tag is ASCII: latin1 keeps byte offsets and never fails on half a UTF-8 character.
    if (stream === "stdout") {
      p.stdout.push(chunk);
      p.stdoutTail = (p.stdoutTail + chunk.subarray(-TAIL_BYTES).toString("latin1")).slice(
        -TAIL_BYTES,
      );
      const m = p.endLine.exec(p.stdoutTail);
      if (m) p.code = Number(m[1]);
    } else {
      p.stderr.push(chunk);
      p.stderrTail = (p.stderrTail + chunk.subarray(-TAIL_BYTES).toString("latin1")).slice(
        -TAIL_BYTES,
      );
      if (p.stderrTail.endsWith(`\n${p.tag}\n`)) p.stderrDone = true;
    }
    if (p.code === null || !p.stderrDone) return;
    this.#finish(p, p.code);
  }

  /** Settles the running command with the status its stdout end marker carried. */
  #finish(p: Pending, code: number): void {
    clearTimeout(p.timer);
    this.#pending = null;
    const { stdout, stderr } = partialOf(p);
    const stdoutEnd = stdout.lastIndexOf(`\n${p.tag} `);
    const stderrEnd = stderr.lastIndexOf(`\n${p.tag}\n`);
    p.resolve({
      code,
      signal: null,
      stdout: stdoutEnd >= 0 ? stdout.slice(0, stdoutEnd) : stdout,
      stderr: stderrEnd >= 0 ? stderr.slice(0, stderrEnd) : stderr,
      durationMs: performance.now() - p.started,
    });
  }

  #onClose(): void {
    this.#open = false;
    this.#markEnded();
    const p = this.#pending;
    if (!p) return;
    // The command's own status arrived, only the shell died before the stderr marker.
    if (p.code !== null) {
      this.#finish(p, p.code);
      return;
    }
    this.#pending = null;
    clearTimeout(p.timer);
    if (this.#exit) {
      // The shell itself ended mid-command (`sudo -n` refused, the command killed its shell):
      // reported as one exec would be, with the shell's status and whatever was printed.
      p.resolve({ ...this.#exit, ...partialOf(p), durationMs: performance.now() - p.started });
      return;
    }
    p.reject(
      new ConnectionLostError(
        `${this.conn.label}: the connection closed before the command reported its exit status`,
        { host: this.conn.label, partial: partialOf(p) },
      ),
    );
  }

  /** Kills the shell's process group, then fails the running command with `err`. */
  #stop(err: () => RemoteError): void {
    const p = this.#pending;
    if (!p) return;
    this.#pending = null;
    clearTimeout(p.timer);
    this.#open = false;
    const error = err();
    void killRemote(this.conn, this.killText).finally(() => {
      this.channel.close();
      p.reject(error);
    });
  }
}

function partialOf(p: Pending): { stdout: string; stderr: string } {
  return {
    stdout: Buffer.concat(p.stdout).toString("utf8"),
    stderr: Buffer.concat(p.stderr).toString("utf8"),
  };
}
