// The one function that turns argv into shell text. Every value that reaches a remote shell passes
// through here, so quoting is correct in one place rather than approximately in many.

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument for a POSIX shell. Rejects NUL, which no shell argument can carry. */
export function quoteShellArg(arg: string): string {
  if (arg.includes("\0")) throw new Error("a shell argument cannot contain NUL");
  if (arg !== "" && SAFE_WORD.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Join an argv into one shell command line, each word quoted. */
export function argvToShell(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("empty command");
  return argv.map(quoteShellArg).join(" ");
}
