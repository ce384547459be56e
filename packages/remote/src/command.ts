// Turns a Command into the text sent in the SSH `exec` request, plus what goes on stdin. All shell
// text is built by argvToShell from @lvs-panel/lvs; nothing here concatenates unquoted values.
import { argvToShell } from "@lvs-panel/lvs";
import { InvalidCommandError } from "./errors.ts";
import type { Command } from "./runner.ts";

export interface RemoteInvocation {
  /** The exec request string; the login shell on the far side parses it. */
  commandText: string;
  /** Sent on the channel, then EOF. Undefined still sends EOF so readers of stdin never hang. */
  stdin: string | undefined;
}

const SUDO = ["sudo", "-n", "--"] as const;

/**
 * Scripts go on stdin to `sh -s` rather than as `sh -c <script>`: Linux caps one argument at
 * 128 KiB (MAX_ARG_STRLEN) and a whole exec request at ARG_MAX, and the body needs no quoting.
 * The body is wrapped in `{ …; } </dev/null` so that sh reads and parses all of it before running
 * any of it (a truncated upload runs nothing) and so commands inside cannot read the rest of the
 * script as their own input.
 */
export function buildInvocation(
  cmd: Command,
  opts: { sudo?: boolean | undefined; stdin?: string | undefined } = {},
): RemoteInvocation {
  if ("argv" in cmd) {
    const argv = validateArgv(cmd.argv);
    const line = argvToShell(argv);
    // `sudo -n` fails instead of prompting: there is no terminal to type a password into.
    const commandText = opts.sudo ? argvToShell([...SUDO, "sh", "-c", line]) : line;
    return { commandText, stdin: opts.stdin };
  }
  if (typeof cmd.script !== "string" || cmd.script.trim() === "") {
    throw new InvalidCommandError("script is empty", { field: "script" });
  }
  if (cmd.script.includes("\0")) {
    throw new InvalidCommandError("script contains a NUL byte", { field: "script" });
  }
  if (opts.stdin !== undefined) {
    throw new InvalidCommandError("a script is sent on stdin, so it cannot take other stdin", {
      field: "stdin",
    });
  }
  const commandText = argvToShell(opts.sudo ? [...SUDO, "sh", "-s"] : ["sh", "-s"]);
  return { commandText, stdin: `{\n${cmd.script}\n} </dev/null\n` };
}

function validateArgv(argv: unknown): string[] {
  if (!Array.isArray(argv) || argv.length === 0) {
    throw new InvalidCommandError("argv must be a non-empty array", { field: "argv" });
  }
  return argv.map((arg, i) => {
    if (typeof arg !== "string") {
      throw new InvalidCommandError(`argv[${i}] is not a string`, { field: "argv" });
    }
    if (arg.includes("\0")) {
      throw new InvalidCommandError(`argv[${i}] contains a NUL byte`, { field: "argv" });
    }
    if (i === 0 && arg === "") {
      throw new InvalidCommandError("argv[0] (the program) is empty", { field: "argv" });
    }
    return arg;
  });
}
