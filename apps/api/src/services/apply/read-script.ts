// Many reads in ONE script, one SSH round trip: each read's output between markers, with its exit
// status, so the outputs can be split apart again and handed to the pure parsers.
import { argvToShell, quoteShellArg } from "@lvs-panel/lvs";
import { MARKER } from "./batch.ts";

/**
 * A read: a program whose stdout is the result; shell text run in the script's own shell (no
 * `exit`) whose stdout is; or a check run in a subshell (it may `exit`) whose stdout and stderr
 * are. Errors of the first two go nowhere: a failed read is told by its status.
 */
export type Read =
  | { id: string; argv: readonly string[] }
  | { id: string; shell: string }
  | { id: string; check: string };

export function renderReadScript(reads: readonly Read[]): string {
  const parts = reads.map((r) =>
    [
      `printf '\\n${MARKER} read %s\\n' ${quoteShellArg(r.id)}`,
      "argv" in r
        ? `${argvToShell(r.argv)} 2>/dev/null`
        : "shell" in r
          ? `{\n${r.shell}\n} 2>/dev/null`
          : `(\n${r.check}\n) 2>&1`,
      `printf '\\n${MARKER} rc %s\\n' "$?"`,
    ].join("\n"),
  );
  return ["PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH", ...parts, ""].join("\n");
}

/** Each read's output and whether its command succeeded, by read id. */
export function splitReadResults(stdout: string): Map<string, { ok: boolean; text: string }> {
  const results = new Map<string, { ok: boolean; text: string }>();
  let id: string | null = null;
  let lines: string[] = [];
  for (const line of stdout.split("\n")) {
    if (line.startsWith(`${MARKER} read `)) {
      id = line.slice(MARKER.length + 6);
      lines = [];
    } else if (line.startsWith(`${MARKER} rc `) && id !== null) {
      const ok = line.slice(MARKER.length + 4).trim() === "0";
      // The marker printf starts with a newline, so the lines joined are the output exactly,
      // with or without a final newline.
      results.set(id, { ok, text: lines.join("\n") });
      id = null;
    } else if (id !== null) lines.push(line);
  }
  return results;
}

/** Output per read id; null when the command failed (e.g. a file that does not exist). */
export function splitReadOutput(stdout: string): Map<string, string | null> {
  return readOutputs(splitReadResults(stdout));
}

export function readOutputs(results: Map<string, { ok: boolean; text: string }>) {
  return new Map([...results].map(([id, r]) => [id, r.ok ? r.text : null]));
}

/**
 * One read's output (null when it failed or is missing) without splitting the rest: a live tick's
 * stdout can hold megabytes of connection table that only a worker thread should walk.
 */
export function readSection(stdout: string, id: string): string | null {
  const open = `${MARKER} read ${id}\n`;
  const start = stdout.indexOf(open);
  if (start < 0) return null;
  const from = start + open.length;
  const rcAt = stdout.indexOf(`\n${MARKER} rc `, from);
  if (rcAt < 0) return null;
  const rcLine = stdout.slice(rcAt + MARKER.length + 5, stdout.indexOf("\n", rcAt + 1) >>> 0);
  if (rcLine.trim() !== "0") return null;
  return stdout.slice(from, Math.max(from, rcAt));
}
