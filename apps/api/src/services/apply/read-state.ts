// Reads what the plan needs from a host in ONE round trip (see read-script.ts): the managed host
// state for the pure parsers of @lvs-panel/lvs and, on the director, the table through its engine.

import { createHash } from "node:crypto";
import {
  argvToShell,
  type HostRole,
  type HostState,
  hostReadCommands,
  hostStateFromReadback,
  type KeepalivedStatus,
  type ListedService,
  MANAGED_FILES,
  type Readback,
  type ServiceSpec,
} from "@lvs-panel/lvs";
import { ConnectionLostError, type Runner } from "@lvs-panel/remote";
import type { DirectorEngine, EngineTable } from "./engine/director-engine.ts";
import { type DirectorGeneration, generationOf } from "./generation.ts";
import { type Read, readOutputs, renderReadScript, splitReadResults } from "./read-script.ts";

export interface HostReading {
  state: HostState;
  /** The director's IPVS table, when the host is the director and it was read. */
  services?: ServiceSpec[];
  /** The same table as listed, every service included, and what the model cannot hold of it. */
  listed?: ListedService[];
  unmanageable?: EngineTable["unmanageable"];
  /** keepalived on the director, read with the table. */
  keepalived?: KeepalivedStatus;
  /** The preflight's verdict, when it was asked for: null when it passed, else why not. */
  preflightFailure?: string | null;
  /** SHA-256 (hex) of each managed file that exists, when read with `files: "hashes"`. */
  fileHashes?: Record<string, string>;
  /** The director's table and files as sums, from a full reading (see generation.ts). */
  generation?: DirectorGeneration;
  parseErrors: string[];
}

export interface ReadOptions {
  /** Run the preflight checks first (the snapshot before an apply). */
  preflight?: boolean;
  /** Read the director's IPVS table (default); false when only the host state is needed. */
  ipvs?: boolean;
  /**
   * Read the realservers' thresholds with the table (default). ipvsadm-save leaves them out, so
   * they cost a second listing; a read-back skips it when neither the hosts nor the desired
   * state use thresholds (an apply that sets none cannot have made any).
   */
  thresholds?: boolean;
  /**
   * The managed files: read them with the rest (default), skip them (after runtime changes,
   * which leave them alone), or read only their SHA-256 sums, with nothing else (after
   * persisting, the one thing that changed: one process instead of one `cat` per file). The
   * fields not read come back empty: merge them from an earlier full reading.
   */
  files?: "with" | "skip" | "hashes";
}

// Checks before an apply changes anything on a realserver: the tools are there. Run as the first
// read of the snapshot, so they cost no round trip of their own (the director's: its engine's).
const PREFLIGHT_REALSERVER =
  'for c in ip sysctl sha256sum; do command -v "$c" >/dev/null || { echo "$c is not installed"; exit 3; }; done';

/** The read script for a host: every read in one script, so one round trip. */
export function hostReadScript(
  role: HostRole,
  engine: DirectorEngine,
  opts: ReadOptions = {},
): string {
  return renderReadScript(hostReads(role, engine, opts));
}

function hostReads(role: HostRole, engine: DirectorEngine, opts: ReadOptions): Read[] {
  const reads: Read[] = [];
  if (opts.preflight) {
    reads.push({
      id: "preflight",
      check: role === "director" ? engine.preflight : PREFLIGHT_REALSERVER,
    });
  }
  if (role === "director" && opts.ipvs !== false) {
    reads.push(...engine.tableReads({ thresholds: opts.thresholds !== false }));
  }
  const files = opts.files ?? "with";
  if (files === "hashes") {
    // A missing file is simply absent from the output (its error goes nowhere).
    reads.push({
      id: "file-hashes",
      shell: `${argvToShell(["sha256sum", "--", ...MANAGED_FILES])}; true`,
    });
    return reads;
  }
  for (const c of hostReadCommands(role)) {
    const isFile = c.id.startsWith("file:");
    if (files === "skip" && isFile) continue;
    reads.push(c);
  }
  return reads;
}

export async function readHost(
  runner: Runner,
  role: HostRole,
  engine: DirectorEngine,
  opts: ReadOptions = {},
): Promise<HostReading> {
  const script = hostReadScript(role, engine, opts);
  // Reads change nothing, so one retry is safe: it rides over a pooled connection that died
  // since its last use (the pool then connects afresh).
  const result = await runner
    .run({ script })
    .catch((err: unknown) =>
      err instanceof ConnectionLostError ? runner.run({ script }) : Promise.reject(err),
    );
  return parseHostReading(role, engine, result.stdout, opts);
}

/** Parses the output of `hostReadScript(role, opts)`, which may follow other output. */
export function parseHostReading(
  role: HostRole,
  engine: DirectorEngine,
  stdout: string,
  opts: ReadOptions = {},
): HostReading {
  const results = splitReadResults(stdout);
  const outputs = readOutputs(results);
  const readback: Readback = {};
  for (const c of hostReadCommands(role)) {
    const text = outputs.get(c.id);
    (readback as Record<string, string | null>)[c.id] = text === undefined ? null : text;
  }
  const { state, errors } = hostStateFromReadback(role, readback);
  const parseErrors = errors.map((e) => `${e.source}:${e.line}: ${e.reason}: ${e.text}`);
  const reading: HostReading = { state, parseErrors };
  if (opts.files === "hashes") {
    reading.fileHashes = parseFileHashes(outputs.get("file-hashes") ?? "");
  }
  if (opts.preflight) {
    const verdict = results.get("preflight");
    reading.preflightFailure = !verdict
      ? "the preflight checks did not run"
      : verdict.ok
        ? null
        : verdict.text.trim() || "the preflight checks failed";
  }
  if (role !== "director" || opts.ipvs === false) return reading;

  let table: EngineTable;
  try {
    table = engine.parseTable(outputs);
  } catch (err) {
    // A table that could not be read at all: the preflight's reason says why, when it ran.
    throw new Error(reading.preflightFailure ?? (err as Error).message);
  }
  parseErrors.push(...table.errors);
  const generation = (opts.files ?? "with") === "with" ? generationOf(outputs) : undefined;
  return {
    ...reading,
    ...(generation ? { generation } : {}),
    services: table.services,
    listed: table.listed,
    unmanageable: table.unmanageable,
    ...(table.keepalived ? { keepalived: table.keepalived } : {}),
  };
}

/** `sha256sum` lines (`<hex>  <path>`) of the managed files, by path. */
export function parseFileHashes(text: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const managed = new Set<string>(MANAGED_FILES);
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m?.[1] && m[2] && managed.has(m[2])) hashes[m[2]] = m[1];
  }
  return hashes;
}

/**
 * The files a host holds, judged by their sums against what it should hold: the desired text
 * where the sum matches, a stand-in that matches nothing where it differs, absent where absent.
 */
export function filesFromHashes(
  hashes: Record<string, string>,
  desired: Record<string, string>,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [path, hash] of Object.entries(hashes)) {
    const want = desired[path];
    const wantHash =
      want === undefined ? undefined : createHash("sha256").update(want, "utf8").digest("hex");
    files[path] = want !== undefined && wantHash === hash ? want : `(content with sha256 ${hash})`;
  }
  return files;
}
