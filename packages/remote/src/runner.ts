// The seam between orchestration and transport: code that drives hosts takes a Runner, so tests can
// hand it any runner (a real sshd through SshPool, or a local one).

/**
 * `argv` runs one program with each element quoted; `script` runs POSIX sh text (generated from
 * typed steps elsewhere) as a whole.
 */
export type Command = { argv: readonly string[] } | { script: string };

export interface RunOptions {
  /** Kill the command after this long; defaults to the pool's command timeout. */
  timeoutMs?: number;
  /** Kill the command once stdout + stderr exceed this; defaults to the pool's limit (64 MiB). */
  maxOutputBytes?: number;
  /** Bytes for the command's stdin. Only with `argv`: a script already uses stdin for its text. */
  stdin?: string;
}

export interface CommandResult {
  /** Exit status; null when the command died from a signal. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface Runner {
  run(cmd: Command, opts?: RunOptions): Promise<CommandResult>;
}
