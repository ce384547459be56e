// What an audit entry changed: before → after as rows per top-level key, and how to name the
// entry in a list. Pure, so the rules are tested without a browser.
import type { AuditEntry } from "../../api/types.ts";

export type ChangeKind = "added" | "removed" | "changed" | "same";

export interface DiffRow {
  key: string;
  kind: ChangeKind;
  /** Pretty-printed JSON, or null when the side has no such key. */
  before: string | null;
  after: string | null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function prettyJson(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return JSON.stringify(value);
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** One row per key on either side, changed keys first; whole values when not objects. */
export function diffValues(before: unknown, after: unknown): DiffRow[] {
  const absent = (v: unknown) => v === null || v === undefined;
  if (!isPlainObject(before) && !isPlainObject(after)) {
    if (absent(before) && absent(after)) return [];
    const kind: ChangeKind = absent(before)
      ? "added"
      : absent(after)
        ? "removed"
        : prettyJson(before) === prettyJson(after)
          ? "same"
          : "changed";
    return [
      {
        key: "value",
        kind,
        before: absent(before) ? null : prettyJson(before),
        after: absent(after) ? null : prettyJson(after),
      },
    ];
  }
  const left = isPlainObject(before) ? before : {};
  const right = isPlainObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
  const rows = keys.map((key): DiffRow => {
    const inLeft = key in left;
    const inRight = key in right;
    const b = inLeft ? prettyJson(left[key]) : null;
    const a = inRight ? prettyJson(right[key]) : null;
    const kind: ChangeKind = !inLeft
      ? "added"
      : !inRight
        ? "removed"
        : b === a
          ? "same"
          : "changed";
    return { key, kind, before: b, after: a };
  });
  const order: Record<ChangeKind, number> = { changed: 0, added: 1, removed: 1, same: 2 };
  return rows.sort((x, y) => order[x.kind] - order[y.kind]);
}

const VERBS: Record<string, string> = {
  create: "Created",
  update: "Updated",
  delete: "Deleted",
  set: "Set",
  trust: "Trusted host key of",
  revoke: "Revoked",
  start: "Started",
  finish: "Finished",
};

/** "service.update" → "Updated service"; "apply.start" → "Started apply". */
export function describeAction(action: string): string {
  const [entity = action, verb = ""] = action.split(".");
  const word = VERBS[verb];
  return word ? `${word} ${entity}` : action;
}

function field(value: unknown, key: string): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const v = value[key];
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}

function ownName(entry: AuditEntry): string | undefined {
  for (const side of [entry.after, entry.before]) {
    const name = field(side, "name") ?? field(side, "username");
    if (name) return name;
    const address = field(side, "vip") ?? field(side, "address");
    const port = field(side, "port");
    if (address) {
      const host = address.includes(":") ? `[${address}]` : address;
      return port ? `${host}:${port}` : address;
    }
  }
  return undefined;
}

/** Names the log itself knows for each entity id (a revoke records only a token's prefix). */
export function knownNames(entries: readonly AuditEntry[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const entry of entries) {
    const name = ownName(entry);
    if (entry.entityId && name && !names.has(entry.entityId)) names.set(entry.entityId, name);
  }
  return names;
}

/**
 * A human name for what the entry is about: a name, a username, an endpoint, the name another
 * entry gave the same entity, a token prefix, else the id.
 */
export function describeSubject(entry: AuditEntry, known?: ReadonlyMap<string, string>): string {
  const name = ownName(entry) ?? (entry.entityId ? known?.get(entry.entityId) : undefined);
  if (name) return name;
  const prefix = field(entry.before, "prefix") ?? field(entry.after, "prefix");
  if (prefix) return `${prefix}…`;
  return entry.entityId ?? "";
}

/** Counts for the collapsed row: "3 fields changed", "new", "removed"; an apply's outcome. */
export function summarizeChange(entry: AuditEntry): string {
  // An apply is recorded as it starts: what matters is how it ended (or that it still runs).
  if (entry.action.startsWith("apply.")) {
    return entry.apply ? entry.apply.status.replace("_", " ") : "outcome not recorded";
  }
  const rows = diffValues(entry.before, entry.after);
  const changed = rows.filter((row) => row.kind !== "same").length;
  if (rows.length === 0) return "no details";
  if (entry.before === null || entry.before === undefined) return "new";
  if (entry.after === null || entry.after === undefined) return "removed";
  if (changed === 0) return "no changes";
  return changed === 1 ? "1 field changed" : `${changed} fields changed`;
}
