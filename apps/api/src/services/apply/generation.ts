// The director's generation: its IPVS table as `ipvsadm -S -n` prints it and its managed files,
// as SHA-256 sums. A preview records it with its reading; an apply of that previewed plan checks
// it on the director (one `ipvsadm -S -n | sha256sum -c`, the sums compared there) instead of
// reading every host again, and is refused as stale when anything differs, as a changed plan is.
import { createHash } from "node:crypto";
import { MANAGED_FILES, quoteShellArg } from "@lvs-panel/lvs";
import { ConnectionLostError, type Runner } from "@lvs-panel/remote";
import type { DirectorEngine } from "./engine/director-engine.ts";
import { renderReadScript, splitReadResults } from "./read-script.ts";

export interface DirectorGeneration {
  /** SHA-256 (hex) of the `ipvsadm -S -n` output. */
  table: string;
  /** Each managed file's SHA-256 (hex); null: the file was not there. */
  files: Record<string, string | null>;
}

/** The exit status of the generation check when the director changed since the reading. */
const STALE_STATUS = 75;
const HEREDOC = "LVS_PANEL_GENERATION";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The generation of a full director reading (the read outputs by id), or undefined when the
 * reading cannot give one: table or files not read, or bytes that did not decode as UTF-8 (their
 * sum here would never match the director's, and every apply would be refused as stale).
 */
export function generationOf(
  outputs: ReadonlyMap<string, string | null>,
): DirectorGeneration | undefined {
  const table = outputs.get("ipvsadm-save");
  if (typeof table !== "string" || table.includes("\uFFFD")) return undefined;
  const files: Record<string, string | null> = {};
  for (const path of MANAGED_FILES) {
    const text = outputs.get(`file:${path}`);
    if (text === undefined || text?.includes("\uFFFD")) return undefined;
    files[path] = text === null ? null : sha256(text);
  }
  return { table: sha256(table), files };
}

/**
 * One read-only script: the engine's preflight, then the generation compared on the director. A
 * file that appeared, or any sum that differs, ends the check with STALE_STATUS and sha256sum's
 * word on what differed ("-" is the table).
 */
export function generationCheckScript(
  engine: Pick<DirectorEngine, "preflight">,
  generation: DirectorGeneration,
): string {
  const files = Object.entries(generation.files);
  const appeared = files
    .filter(([, sum]) => sum === null)
    .map(
      ([path]) =>
        `if test -e ${quoteShellArg(path)}; then echo ${quoteShellArg(`${path}: appeared`)}; exit ${STALE_STATUS}; fi`,
    );
  const sums = [
    `${generation.table}  -`,
    ...files.flatMap(([path, sum]) => (sum === null ? [] : [`${sum}  ${path}`])),
  ];
  // The check list on fd 3, the table on stdin: one sha256sum for all of it.
  const check = [
    ...appeared,
    // No --quiet: busybox's sha256sum (an Alpine director) has only -c; its OK lines are dropped
    // when the verdict is read.
    `ipvsadm -S -n | sha256sum -c /proc/self/fd/3 3<<'${HEREDOC}' || exit ${STALE_STATUS}`,
    ...sums,
    HEREDOC,
  ].join("\n");
  return renderReadScript([
    { id: "preflight", check: engine.preflight },
    { id: "generation", check },
  ]);
}

export interface GenerationVerdict {
  /** null when the preflight passed, else why not (reported by the apply, as a snapshot's is). */
  preflightFailure: string | null;
  /** null when the director is as read; else what changed. */
  stale: string | null;
}

export function parseGenerationCheck(stdout: string): GenerationVerdict {
  const results = splitReadResults(stdout);
  const preflight = results.get("preflight");
  const preflightFailure = !preflight
    ? "the preflight checks did not run"
    : preflight.ok
      ? null
      : preflight.text.trim() || "the preflight checks failed";
  const generation = results.get("generation");
  if (generation?.ok) return { preflightFailure, stale: null };
  const said = (generation?.text ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("sha256sum: ") && !l.endsWith(": OK"));
  const what = said.map((l) =>
    l === "-: FAILED" ? "the IPVS table" : l.replace(/: FAILED( open or read)?$/, ""),
  );
  return {
    preflightFailure,
    stale: what.length > 0 ? what.join(", ") : "the generation check did not run",
  };
}

/** Runs the check on the director: one round trip, read-only (so retried once over a dropped connection). */
export async function checkGeneration(
  runner: Runner,
  engine: Pick<DirectorEngine, "preflight">,
  generation: DirectorGeneration,
  timeoutMs: number,
): Promise<GenerationVerdict> {
  const script = generationCheckScript(engine, generation);
  const result = await runner
    .run({ script }, { timeoutMs })
    .catch((err: unknown) =>
      err instanceof ConnectionLostError
        ? runner.run({ script }, { timeoutMs })
        : Promise.reject(err),
    );
  return parseGenerationCheck(result.stdout);
}
