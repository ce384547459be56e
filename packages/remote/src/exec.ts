// Runs one exec request on an open connection: feeds stdin, collects output, enforces the timeout.
import type { ClientChannel } from "ssh2";
import type { RemoteInvocation } from "./command.ts";
import type { SshConnection } from "./connect.ts";
import {
  CommandTimeoutError,
  ConnectionLostError,
  ConnectTimeoutError,
  OutputTooLargeError,
  type RemoteError,
} from "./errors.ts";
import type { CommandResult } from "./runner.ts";

const KILL_WAIT_MS = 3000;
const OPEN_RETRY_DELAYS_MS = [50, 150, 400];

export interface ExecLimits {
  timeoutMs: number;
  /**
   * How long the host may take to open the command's channel. A pooled connection to a host that
   * died without a word (link down, power off) looks open: this is what notices, long before
   * keepalives or the command timeout would. Default: no limit.
   */
  openTimeoutMs?: number;
  /** Output is held in memory; a runaway command must not take the API process down with it. */
  maxOutputBytes: number;
}

export function execOnConnection(
  conn: SshConnection,
  inv: RemoteInvocation,
  limits: ExecLimits,
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Called synchronously from ssh2's exec callback: the exit-status message can sit in the same
    // TCP read as the exec confirmation, and an 'exit' listener attached a microtask later misses
    // it (measured: ~5% of 1000 parallel `true` runs lost their exit code that way).
    const onOpen = (channel: ClientChannel) => {
      // Buffers are decoded once at the end: a UTF-8 character may straddle two chunks.
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let signal: string | null = null;
      let outputBytes = 0;
      let stopped = false;
      const partial = () => ({
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
      // Stop the remote processes before reporting, so a caller that retries or moves on does
      // not race the old command; closing the channel alone would leave them running.
      const stop = (err: () => RemoteError) => {
        if (stopped) return;
        stopped = true;
        clearTimeout(timer);
        void killRemote(conn, inv.killText).finally(() => {
          channel.close();
          reject(err());
        });
      };
      const timer = setTimeout(
        () => stop(() => new CommandTimeoutError(conn.label, limits.timeoutMs, partial())),
        limits.timeoutMs,
      );
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        if (stopped) return;
        outputBytes += chunk.length;
        if (outputBytes > limits.maxOutputBytes) {
          stop(() => new OutputTooLargeError(conn.label, limits.maxOutputBytes));
          return;
        }
        into.push(chunk);
      };
      channel.on("data", collect(stdout));
      channel.stderr.on("data", collect(stderr));
      channel.on("exit", (exitCode: number | null, exitSignal?: string) => {
        code = exitCode;
        signal = exitSignal ?? null;
      });
      channel.on("close", () => {
        clearTimeout(timer);
        if (stopped) return;
        if (code === null && signal === null) {
          const why = "the connection closed before the command reported its exit status";
          reject(
            new ConnectionLostError(`${conn.label}: ${why}`, {
              host: conn.label,
              partial: partial(),
            }),
          );
          return;
        }
        resolve({ code, signal, ...partial(), durationMs: performance.now() - started });
      });
      sendStdinThenEof(channel, inv.stdin);
    };
    openExecChannel(conn, inv.commandText, onOpen, reject, limits.openTimeoutMs);
  });
}

/**
 * A refused channel open means the command never started, so it is safe to try again after a
 * pause. sshd counts a session against MaxSessions until it has processed our close, which lags
 * our 'close' event by a round trip, so a busy connection sees occasional refusals.
 */
export function openExecChannel(
  conn: SshConnection,
  commandText: string,
  onOpen: (channel: ClientChannel) => void,
  fail: (err: Error) => void,
  openTimeoutMs?: number,
): void {
  let settled = false;
  const settle = () => {
    const first = !settled;
    settled = true;
    clearTimeout(timer);
    return first;
  };
  const timer =
    openTimeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          if (!settle()) return;
          // Nothing came back on an open connection: the host is gone. Drop the connection, so
          // its other users fail now and the next command connects afresh.
          conn.close();
          fail(
            new ConnectTimeoutError(
              `${conn.label} did not answer within ${openTimeoutMs} ms (the connection was open: the host or the network to it is down)`,
              { host: conn.label },
            ),
          );
        }, openTimeoutMs);
  const giveUp = (err: unknown) => {
    if (!settle()) return;
    fail(
      new ConnectionLostError(
        `${conn.label}: could not start the command (${(err as Error).message})`,
        { host: conn.label, cause: err },
      ),
    );
  };
  const attempt = (n: number) => {
    try {
      conn.client.exec(commandText, (err, channel) => {
        if (settled) {
          channel?.close(); // answered after we gave up on it
          return;
        }
        if (!err) {
          settle();
          return onOpen(channel);
        }
        const delay = OPEN_RETRY_DELAYS_MS[n];
        const refused = (err as { reason?: unknown }).reason !== undefined;
        if (!refused || delay === undefined || !conn.isOpen()) return giveUp(err);
        setTimeout(() => attempt(n + 1), delay);
      });
    } catch (err) {
      // ssh2 throws synchronously when the connection is already closed.
      giveUp(err);
    }
  };
  attempt(0);
}

/**
 * EOF via `eof()`, not `end()`: a finished writable side lets Node auto-destroy the stream as
 * soon as the server's EOF arrives, and ssh2's destroy() sends CHANNEL_CLOSE; the channel should
 * stay open until sshd closes it, after the exit status.
 */
function sendStdinThenEof(channel: ClientChannel, stdin: string | undefined): void {
  if (stdin === undefined || stdin === "") {
    channel.eof();
    return;
  }
  // The callback runs once the data is handed to the transport (after any window wait).
  channel.write(stdin, () => channel.eof());
}

/** Best effort, bounded: a dead connection or a missing pkill must not hang the caller. */
export function killRemote(conn: SshConnection, killText: string): Promise<void> {
  return new Promise((resolve) => {
    const giveUp = setTimeout(resolve, KILL_WAIT_MS);
    const done = () => {
      clearTimeout(giveUp);
      resolve();
    };
    try {
      conn.client.exec(killText, (err, channel) => {
        if (err) return done();
        channel.on("close", done);
        channel.resume();
        channel.stderr.resume();
        channel.eof();
      });
    } catch {
      done();
    }
  });
}
