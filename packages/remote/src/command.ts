// Turns a Command into the text sent in the SSH `exec` request, plus what goes on stdin. All shell
// text is built by argvToShell from @lvs-panel/lvs; nothing here concatenates unquoted values.
import { randomBytes } from "node:crypto";
import { argvToShell } from "@lvs-panel/lvs";
import { InvalidCommandError } from "./errors.ts";
import type { Command } from "./runner.ts";

export interface RemoteInvocation {
  /** The exec request string; the login shell on the far side parses it. */
  commandText: string;
  /** Sent on the channel, then EOF. Undefined still sends EOF so readers of stdin never hang. */
  stdin: string | undefined;
  /** Run on a second channel to stop this command early (see SUPERVISOR). */
  killText: string;
}

const SUDO = ["sudo", "-n", "--"] as const;

/**
 * Runs `$1` under a small supervisor so a timeout can stop the whole command. Closing an SSH
 * channel kills nothing (there is no pty to hang up), and sshd refuses SSH "signal" requests for
 * root logins (no privilege separation after a root login), so the kill goes over a second exec:
 * `pkill -TERM -f <tag>` finds the supervisor by the random tag in its `$0`, and its trap kills the
 * process group sshd created for the session. It waits for the command in the background so the
 * trap runs at once; background jobs get /dev/null as stdin, hence stdin is kept on fd 3.
 * The exit status is the command's; a command killed by signal N exits 128+N, as in any shell.
 */
const SUPERVISOR = 'trap "kill -KILL 0" TERM; exec 3<&0; sh -c "$1" <&3 3<&- & wait $!';

/**
 * TERMs the supervisor matching `$1`, then waits (up to 2 s) until it is gone: its trap kills the
 * group in one kill(2), so once it has disappeared the whole command has been sent SIGKILL, and a
 * caller that reacts to the timeout does not see the old processes still around.
 */
const KILLER =
  'pkill -TERM -f "$1" || exit 0; i=0; while pgrep -f "$1" >/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done';

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
    // `sudo -n` fails instead of prompting: there is no terminal to type a password into.
    return { ...supervised(argvToShell(argv), opts), stdin: opts.stdin };
  }
  const script = validateScript(cmd.script);
  if (opts.stdin !== undefined) {
    throw new InvalidCommandError("a script is sent on stdin, so it cannot take other stdin", {
      field: "stdin",
    });
  }
  return { ...supervised("sh -s", opts), stdin: `{\n${script}\n} </dev/null\n` };
}

/**
 * A shell that stays open, reading commands from its stdin (see RemoteShell); stdin is not
 * closed after the first command, so there is none here.
 */
export function buildShellInvocation(opts: { sudo?: boolean | undefined } = {}): {
  commandText: string;
  killText: string;
} {
  return supervised("sh -s", opts);
}

/** The shell text of a command, validated, for a shell that is already running. */
export function commandBody(cmd: Command): string {
  return "argv" in cmd ? argvToShell(validateArgv(cmd.argv)) : validateScript(cmd.script);
}

function supervised(body: string, opts: { sudo?: boolean | undefined }) {
  const prefix = opts.sudo ? SUDO : [];
  const tag = `lvs-panel-${randomBytes(8).toString("hex")}`;
  // `[l]` keeps the pattern from matching the pkill command line (and its shell) itself.
  const pattern = tag.replace("l-", "[l]-");
  return {
    commandText: argvToShell([...prefix, "sh", "-c", SUPERVISOR, tag, body]),
    killText: argvToShell([...prefix, "sh", "-c", KILLER, "lvs-panel-kill", pattern]),
  };
}

function validateScript(script: unknown): string {
  if (typeof script !== "string" || script.trim() === "") {
    throw new InvalidCommandError("script is empty", { field: "script" });
  }
  if (script.includes("\0")) {
    throw new InvalidCommandError("script contains a NUL byte", { field: "script" });
  }
  return script;
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
