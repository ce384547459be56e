// Reads what the plan needs from a host in ONE round trip: every read command runs in one script,
// separated by markers, and the outputs are handed to the pure parsers of @lvs-panel/lvs.
import {
  argvToShell,
  type HostRole,
  type HostState,
  hostReadCommands,
  hostStateFromReadback,
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

interface Read {
  id: string;
  argv: string[];
}

const DIRECTOR_READS: Read[] = [
  { id: "ipvsadm-save", argv: ["ipvsadm-save", "-n"] },
  { id: "ipvsadm-thresholds", argv: ["ipvsadm", "-Ln", "--thresholds"] },
];

export function renderReadScript(reads: readonly Read[]): string {
  const parts = reads.map((r) =>
    [
      `printf '\\n${MARKER} read %s\\n' ${quoteShellArg(r.id)}`,
      `${argvToShell(r.argv)} 2>/dev/null`,
      `printf '\\n${MARKER} rc %s\\n' "$?"`,
    ].join("\n"),
  );
  return ["PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH", ...parts, ""].join("\n");
}

/** Output per read id; null when the command failed (e.g. a file that does not exist). */
export function splitReadOutput(stdout: string): Map<string, string | null> {
  const outputs = new Map<string, string | null>();
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
      outputs.set(id, ok ? lines.join("\n") : null);
      id = null;
    } else if (id !== null) lines.push(line);
  }
  return outputs;
}

export interface HostReading {
  state: HostState;
  /** The director's IPVS table, when the host is the director. */
  services?: ServiceSpec[];
  /** Raw ipvsadm-save text, kept in the apply record as the snapshot a person can read. */
  ipvsadmSave?: string;
  parseErrors: string[];
}

export async function readHost(runner: Runner, role: HostRole): Promise<HostReading> {
  const hostReads: Read[] = hostReadCommands(role).map((c) => ({ id: c.id, argv: c.argv }));
  const reads = role === "director" ? [...DIRECTOR_READS, ...hostReads] : hostReads;
  const script = renderReadScript(reads);
  // Reads change nothing, so one retry is safe: it rides over a pooled connection that died
  // since its last use (the pool then connects afresh).
  const result = await runner
    .run({ script })
    .catch((err: unknown) =>
      err instanceof ConnectionLostError ? runner.run({ script }) : Promise.reject(err),
    );
  const outputs = splitReadOutput(result.stdout);
  const readback: Readback = {};
  for (const r of hostReads) {
    const text = outputs.get(r.id);
    (readback as Record<string, string | null>)[r.id] = text === undefined ? null : text;
  }
  const { state, errors } = hostStateFromReadback(role, readback);
  const parseErrors = errors.map((e) => `${e.source}:${e.line}: ${e.reason}: ${e.text}`);
  if (role !== "director") return { state, parseErrors };

  const save = outputs.get("ipvsadm-save");
  if (save === null || save === undefined) {
    throw new Error(
      "could not read the IPVS table (ipvsadm-save -n failed): is ipvsadm installed?",
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
  return { state, services, ipvsadmSave: save, parseErrors };
}
