// Reads what the plan needs from a host in ONE round trip: every read command runs in one script,
// separated by markers, and the outputs are handed to the pure parsers of @lvs-panel/lvs.

import { createHash } from "node:crypto";
import {
  argvToShell,
  type HostRole,
  type HostState,
  hostReadCommands,
  hostStateFromReadback,
  MANAGED_FILES,
  mergeThresholds,
  parseIpvsadmList,
  parseIpvsadmSave,
  quoteShellArg,
  type Readback,
  type ServiceSpec,
  servicesFromListing,
} from "@lvs-panel/lvs";
import { ConnectionLostError, type Runner } from "@lvs-panel/remote";
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

const DIRECTOR_READS: Read[] = [
  // What `ipvsadm-save -n` prints: that is a bash script around `ipvsadm -S`, and starting bash
  // costs ~100 ms on a slow host, twice per apply (snapshot and read-back).
  { id: "ipvsadm-save", argv: ["ipvsadm", "-S", "-n"] },
  { id: "ipvsadm-thresholds", argv: ["ipvsadm", "-Ln", "--thresholds"] },
];

// Checks before an apply changes anything: the tools are there and IPVS can be used. Run as the
// first read of the snapshot, so they cost no round trip of their own.
const PREFLIGHT_DIRECTOR = [
  'for c in ipvsadm ip sysctl sha256sum; do command -v "$c" >/dev/null || { echo "$c is not installed"; exit 3; }; done',
  // ipvsadm loads ip_vs itself; listing the timeouts proves the module is there and usable.
  // modprobe only when IPVS is not loaded yet: on a slow host it costs seconds even as a no-op.
  // Once IPVS is loaded the snapshot's own `ipvsadm -S` proves ipvsadm works: no extra process.
  'if [ -e /proc/net/ip_vs ]; then true; else modprobe ip_vs 2>/dev/null; ipvsadm -Ln --timeout >/dev/null 2>&1 || { echo "IPVS is not available: the ip_vs kernel module cannot be loaded"; exit 4; }; fi',
].join("\n");
const PREFLIGHT_REALSERVER =
  'for c in ip sysctl sha256sum; do command -v "$c" >/dev/null || { echo "$c is not installed"; exit 3; }; done';

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
  return outputsOf(splitReadResults(stdout));
}

function outputsOf(results: Map<string, { ok: boolean; text: string }>) {
  return new Map([...results].map(([id, r]) => [id, r.ok ? r.text : null]));
}

export interface HostReading {
  state: HostState;
  /** The director's IPVS table, when the host is the director and it was read. */
  services?: ServiceSpec[];
  /** Raw ipvsadm-save text, kept in the apply record as the snapshot a person can read. */
  ipvsadmSave?: string;
  /** The preflight's verdict, when it was asked for: null when it passed, else why not. */
  preflightFailure?: string | null;
  /** SHA-256 (hex) of each managed file that exists, when read with `files: "hashes"`. */
  fileHashes?: Record<string, string>;
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

/** The read script for a host: every read in one script, so one round trip. */
export function hostReadScript(role: HostRole, opts: ReadOptions = {}): string {
  return renderReadScript(hostReads(role, opts));
}

function hostReads(role: HostRole, opts: ReadOptions): Read[] {
  const reads: Read[] = [];
  if (opts.preflight) {
    reads.push({
      id: "preflight",
      check: role === "director" ? PREFLIGHT_DIRECTOR : PREFLIGHT_REALSERVER,
    });
  }
  if (role === "director" && opts.ipvs !== false) {
    reads.push(
      ...DIRECTOR_READS.filter((r) => opts.thresholds !== false || r.id !== "ipvsadm-thresholds"),
    );
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
  opts: ReadOptions = {},
): Promise<HostReading> {
  const script = hostReadScript(role, opts);
  // Reads change nothing, so one retry is safe: it rides over a pooled connection that died
  // since its last use (the pool then connects afresh).
  const result = await runner
    .run({ script })
    .catch((err: unknown) =>
      err instanceof ConnectionLostError ? runner.run({ script }) : Promise.reject(err),
    );
  return parseHostReading(role, result.stdout, opts);
}

/** Parses the output of `hostReadScript(role, opts)`, which may follow other output. */
export function parseHostReading(
  role: HostRole,
  stdout: string,
  opts: ReadOptions = {},
): HostReading {
  const results = splitReadResults(stdout);
  const outputs = outputsOf(results);
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

  const save = outputs.get("ipvsadm-save");
  if (save === null || save === undefined) {
    throw new Error(
      reading.preflightFailure ??
        "could not read the IPVS table (ipvsadm -S -n failed): is ipvsadm installed?",
    );
  }
  const parsedSave = parseIpvsadmSave(save);
  const live = servicesFromListing(parsedSave.services);
  const thresholdsText = outputs.get("ipvsadm-thresholds");
  const services = thresholdsText
    ? mergeThresholds(live.services, parseIpvsadmList(thresholdsText))
    : live.services;
  for (const e of parsedSave.errors) parseErrors.push(`ipvsadm-save:${e.line}: ${e.reason}`);
  for (const i of live.issues) parseErrors.push(`${i.field}: ${i.message}`);
  return { ...reading, services, ipvsadmSave: save };
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
