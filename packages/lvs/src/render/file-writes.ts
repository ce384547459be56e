// Shell text that writes the persisted files. Each file is written to a temporary name, then
// renamed over the real one, so a cut connection never leaves half a file. Several files are
// written first and renamed together at the end, by one `rename.ul` (util-linux) where it exists:
// one process instead of one `mv` per file (~40 ms each on a slow host), and a failed write
// renames nothing. `test` and `printf` are shell builtins; mkdir runs only for a missing
// directory. No braces, `!` or brackets: the text keeps to the characters the plan's shell-safety
// property allows.
import { ADDRESS_UNIT_FILE, ADDRESS_UNIT_NAME } from "../host/state.ts";
import { argvToShell, quoteShellArg } from "./shell-quote.ts";

export const TEMP_SUFFIX = ".lvs-panel-tmp";

export interface FileWrite {
  path: string;
  content: string;
}

/** Writes one file (temporary name, then `mv`). */
export function renderFileWrite(path: string, content: string): string {
  return renderFileWrites([{ path, content }]);
}

/** Writes every file to its temporary name, then renames them all into place. */
export function renderFileWrites(files: readonly FileWrite[]): string {
  if (files.length === 0) throw new Error("no files to write");
  // rename.ul replaces the suffix's first occurrence in the path (older util-linux: the whole
  // path), so it must occur nowhere else.
  for (const { path } of files) {
    if (path.includes(TEMP_SUFFIX))
      throw new Error(`${path}: a persisted file's path holds ${TEMP_SUFFIX}`);
  }
  const temp = (path: string) => `${path}${TEMP_SUFFIX}`;
  const writes = files.flatMap(({ path, content }) => {
    const dir = path.slice(0, path.lastIndexOf("/")) || "/";
    return [
      `if test -d ${quoteShellArg(dir)}; then true; else ${argvToShell(["mkdir", "-p", dir])}; fi`,
      `${argvToShell(["printf", "%s", content])} > ${quoteShellArg(temp(path))}`,
    ];
  });
  const moves = files.map(({ path }) => argvToShell(["mv", "-f", temp(path), path])).join(" && ");
  const rename =
    files.length === 1
      ? moves
      : // rename.ul FROM TO FILE…: each FILE's first FROM becomes TO; a failed one fails it.
        `if command -v rename.ul >/dev/null; then ${argvToShell(["rename.ul", TEMP_SUFFIX, "", ...files.map((f) => temp(f.path))])}; else ${moves}; fi`;
  let script = [...writes, rename].join(" && ");
  if (files.some((f) => f.path === ADDRESS_UNIT_FILE)) {
    // Hosts without systemd (containers, other inits) keep the script; only systemd gets the unit.
    script += ` && if test -d /run/systemd/system; then ${argvToShell(["systemctl", "daemon-reload"])} && ${argvToShell(["systemctl", "enable", ADDRESS_UNIT_NAME])}; fi`;
  }
  return script;
}
