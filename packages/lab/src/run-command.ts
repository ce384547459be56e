// Runs host commands from argv arrays (never a shell string), so no path or name is interpolated.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Append stdout and stderr to this file instead of capturing them (for chatty tools). */
  readonly logFile?: string;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`${argv[0]} exited with ${code}: ${stderr.trim().split("\n").slice(-15).join("\n")}`);
  }
}

export function runCommand(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error("empty command");
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const log =
      options.logFile === undefined
        ? undefined
        : createWriteStream(options.logFile, { flags: "a" });
    child.stdout.on("data", (chunk: Buffer) => (log ? log.write(chunk) : out.push(chunk)));
    child.stderr.on("data", (chunk: Buffer) => {
      err.push(chunk);
      log?.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      log?.end();
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (code === 0) resolve({ stdout, stderr });
      else reject(new CommandError(argv, code, stderr));
    });
  });
}
