// Runs one exec request on an open connection: feeds stdin, collects output, enforces the timeout.
import type { ClientChannel } from "ssh2";
import type { RemoteInvocation } from "./command.ts";
import type { SshConnection } from "./connect.ts";
import { CommandTimeoutError, ConnectionLostError } from "./errors.ts";
import type { CommandResult } from "./runner.ts";

const KILL_WAIT_MS = 3000;

export function execOnConnection(
  conn: SshConnection,
  inv: RemoteInvocation,
  timeoutMs: number,
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const lost = (why: string, cause?: unknown) =>
      reject(new ConnectionLostError(`${conn.label}: ${why}`, { host: conn.label, cause }));
    const onChannel = (err: Error | undefined, channel: ClientChannel) => {
      if (err) return lost(`could not start the command (${err.message})`, err);
      // Buffers are decoded once at the end: a UTF-8 character may straddle two chunks.
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let signal: string | null = null;
      let timedOut = false;
      const partial = () => ({
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
      const timer = setTimeout(() => {
        timedOut = true;
        // Stop the remote processes before reporting, so a caller that retries or moves on does
        // not race the old command; closing the channel alone would leave them running.
        void killRemote(conn, inv.killText).finally(() => {
          channel.close();
          reject(new CommandTimeoutError(conn.label, timeoutMs, partial()));
        });
      }, timeoutMs);
      channel.on("data", (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      channel.on("exit", (exitCode: number | null, exitSignal?: string) => {
        code = exitCode;
        signal = exitSignal ?? null;
      });
      channel.on("close", () => {
        clearTimeout(timer);
        if (timedOut) return;
        if (code === null && signal === null) {
          return lost("the connection closed before the command reported its exit status");
        }
        resolve({ code, signal, ...partial(), durationMs: performance.now() - started });
      });
      channel.end(inv.stdin);
    };
    try {
      conn.client.exec(inv.commandText, onChannel);
    } catch (err) {
      lost("the connection is closed", err);
    }
  });
}

/** Best effort, bounded: a dead connection or a missing pkill must not hang the caller. */
function killRemote(conn: SshConnection, killText: string): Promise<void> {
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
        channel.end();
      });
    } catch {
      done();
    }
  });
}
