// A plan named after what it does: each change to the director's table in an operator's words
// ("Drain 10.10.0.11 in TCP 10.10.0.200:80", "Switch TCP 10.10.0.200:80 from DR to NAT"), and
// one title for the plan dialog, the apply page and the apply history.
import { canonicalAddress, formatEndpoint } from "../address.ts";
import type { HostState } from "../host/state.ts";
import type { RealServerSpec, ServiceSpec } from "../model.ts";
import { normalizedServiceKey, serviceLabel } from "./ipvs-diff.ts";

const METHOD = { nat: "NAT", dr: "DR", tun: "TUN" } as const;

/** "10.10.0.11" on the service's own port (or a mark service's port 0), else "10.10.0.11:8080". */
function realserverName(s: ServiceSpec, rs: RealServerSpec): string {
  return rs.port === s.port || (s.fwmark != null && rs.port === 0)
    ? rs.address
    : formatEndpoint(rs.address, rs.port);
}

const endpointKey = (rs: RealServerSpec) => `${rs.address}|${rs.port}`;

/**
 * The changes from `current` to `desired`, both normalized (canonical addresses, each
 * realserver's method, weights as the kernel holds them), in the order an operator reads them.
 * `desiredRaw` is `desired` before normalizing, in the same order: only it tells a disabled
 * realserver (weight 0, enabled false) from a drained one (weight 0).
 */
export function planChanges(
  current: readonly ServiceSpec[],
  desired: readonly ServiceSpec[],
  desiredRaw: readonly ServiceSpec[] = desired,
): string[] {
  const out: string[] = [];
  const desiredKeys = new Set(desired.map(normalizedServiceKey));
  const currentByKey = new Map(current.map((s) => [normalizedServiceKey(s), s]));
  desired.forEach((des, i) => {
    const label = serviceLabel(des);
    const cur = currentByKey.get(normalizedServiceKey(des));
    if (!cur) {
      const n = des.realservers.length;
      out.push(
        `Add service ${label}${n === 0 ? "" : ` with ${n} ${n === 1 ? "realserver" : "realservers"}`}`,
      );
      return;
    }
    serviceChanges(cur, des, desiredRaw[i] ?? des, label, out);
  });
  for (const cur of current) {
    if (!desiredKeys.has(normalizedServiceKey(cur)))
      out.push(`Remove service ${serviceLabel(cur)}`);
  }
  return out;
}

function serviceChanges(
  cur: ServiceSpec,
  des: ServiceSpec,
  raw: ServiceSpec,
  label: string,
  out: string[],
): void {
  const old = new Map(cur.realservers.map((rs) => [endpointKey(rs), rs]));
  const kept = des.realservers.filter((rs) => old.has(endpointKey(rs)));
  const switched = kept.filter((rs) => old.get(endpointKey(rs))?.forwarding !== rs.forwarding);
  // Every realserver both sides have moves from one method to the same other: the service does.
  const from = switched[0] ? old.get(endpointKey(switched[0]))?.forwarding : undefined;
  const to = switched[0]?.forwarding;
  const whole =
    switched.length > 0 &&
    switched.length === kept.length &&
    switched.every((rs) => rs.forwarding === to && old.get(endpointKey(rs))?.forwarding === from);
  if (whole && from && to) out.push(`Switch ${label} from ${METHOD[from]} to ${METHOD[to]}`);
  if (cur.scheduler !== des.scheduler) {
    out.push(`Change the scheduler of ${label} from ${cur.scheduler} to ${des.scheduler}`);
  }
  if ((cur.persistence ?? null) !== (des.persistence ?? null)) {
    out.push(
      des.persistence == null
        ? `Turn persistence off for ${label}`
        : `Set the persistence of ${label} to ${des.persistence} s`,
    );
  } else if ((cur.persistenceNetmask ?? null) !== (des.persistenceNetmask ?? null)) {
    out.push(`Set the persistence netmask of ${label} to ${des.persistenceNetmask ?? "none"}`);
  }
  const flags = (s: ServiceSpec) => (s.schedulerFlags ?? []).join(", ");
  if (flags(cur) !== flags(des)) {
    out.push(`Set the scheduler flags of ${label} to ${flags(des) || "none"}`);
  }
  des.realservers.forEach((rs, j) => {
    const name = realserverName(des, rs);
    const prev = old.get(endpointKey(rs));
    if (!prev) {
      out.push(`Add ${name} to ${label}`);
      return;
    }
    if (!whole && prev.forwarding !== rs.forwarding && prev.forwarding && rs.forwarding) {
      out.push(
        `Switch ${name} in ${label} from ${METHOD[prev.forwarding]} to ${METHOD[rs.forwarding]}`,
      );
    }
    const enabled = raw.realservers[j]?.enabled ?? true;
    if (prev.weight > 0 && rs.weight === 0) {
      out.push(`${enabled ? "Drain" : "Disable"} ${name} in ${label}`);
    } else if (prev.weight === 0 && rs.weight > 0) {
      out.push(`Put ${name} back in ${label} (weight ${rs.weight})`);
    } else if (prev.weight !== rs.weight) {
      out.push(`Set the weight of ${name} in ${label} from ${prev.weight} to ${rs.weight}`);
    }
    if (
      (prev.upperThreshold ?? 0) !== (rs.upperThreshold ?? 0) ||
      (prev.lowerThreshold ?? 0) !== (rs.lowerThreshold ?? 0)
    ) {
      out.push(`Change the connection limits of ${name} in ${label}`);
    }
  });
  const now = new Set(des.realservers.map(endpointKey));
  for (const rs of cur.realservers) {
    if (!now.has(endpointKey(rs))) out.push(`Remove ${realserverName(cur, rs)} from ${label}`);
  }
}

/**
 * The director's VIPs that move, come or go while no service changes (a director's interface
 * edited, an address put back after a hand edit), in words: "Move VIP 10.10.0.200 on the director
 * from lan0 to eth9". Only the addresses in `vips` are looked at: the director has others.
 */
export function directorVipChanges(
  current: Pick<HostState, "addresses"> | null,
  desired: Pick<HostState, "addresses"> | null,
  vips: ReadonlySet<string>,
): string[] {
  const devices = (state: Pick<HostState, "addresses"> | null) => {
    const by = new Map<string, string[]>();
    for (const a of state?.addresses ?? []) {
      const address = canonicalAddress(a.address);
      if (!vips.has(address)) continue;
      by.set(address, [...(by.get(address) ?? []), a.dev].sort());
    }
    return by;
  };
  const before = devices(current);
  const after = devices(desired);
  const out: string[] = [];
  for (const address of new Set([...after.keys(), ...before.keys()])) {
    const was = before.get(address) ?? [];
    const now = after.get(address) ?? [];
    if (was.join(",") === now.join(",")) continue;
    if (was.length > 0 && now.length > 0) {
      out.push(`Move VIP ${address} on the director from ${was.join(", ")} to ${now.join(", ")}`);
    } else if (now.length > 0) out.push(`Put VIP ${address} on ${now.join(", ")} of the director`);
    else out.push(`Take VIP ${address} off ${was.join(", ")} of the director`);
  }
  return out;
}

/** Notes on what the plan leaves alone: they do not name it. */
const NOTES = /^not managed by this cluster|^cluster ".*" manages /i;
/**
 * The lines `changes` says again in words: this director's table. What else a plan does (a
 * keepalived load, an engine switch, taking foreign services over, host settings, the second
 * director of a pair) is only in the lines.
 */
const TABLE_LINE = /^(?:(?:add|change|remove) service |switch )/i;
/** keepalived-plan.ts's lines on how the director takes the change. */
const MECHANICS =
  /^(?:second director: )?(?:(?:reload|start|stop) keepalived\b|drain the leaving realservers first|wait for their connections)/i;
/** The line of a plan with host steps only: `changes` names them when it can. */
const HOSTS_ONLY = /^bring host settings in line with the cluster/i;

/** "Drain 10.10.0.11 in TCP 10.10.0.200:80": a realserver change, to group by verb and service. */
const REALSERVER_CHANGE = /^(Add|Remove|Drain|Disable) (\S+) (to|from|in) (.+)$/;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function joinNames(names: string[]): string {
  return names.length <= 1
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** Realserver changes of one kind in one service as one phrase: "Drain A and B in S". */
function grouped(items: string[]): string[] {
  const groups: {
    key: string | null;
    verb: string;
    names: string[];
    tail: string;
    text: string;
  }[] = [];
  for (const text of items) {
    const m = REALSERVER_CHANGE.exec(text);
    if (!m) {
      groups.push({ key: null, verb: "", names: [], tail: "", text });
      continue;
    }
    const [, verb = "", name = "", preposition, service] = m;
    const key = `${verb}|${preposition}|${service}`;
    const same = groups.find((g) => g.key === key);
    if (same) same.names.push(name);
    else groups.push({ key, verb, names: [name], tail: `${preposition} ${service}`, text });
  }
  return groups.map((g) =>
    g.names.length > 1 ? `${g.verb} ${joinNames(g.names)} ${g.tail}` : g.text,
  );
}

/**
 * The plan's name: its one change ("Switch TCP 10.10.0.200:80 from DR to NAT"), realserver
 * changes alike grouped ("Drain 10.10.0.11 and 10.10.0.12 in TCP 10.10.0.200:80"), or the count
 * and the first few ("3 changes: …"). Summaries stored before `changes` existed are named from
 * their lines.
 */
export function planTitle(summary: PlanWords): string {
  const all = planChangeList(summary);
  // How keepalived takes a change (a reload, the drain before it) is not what the change is.
  const what = all.filter((item) => !MECHANICS.test(item));
  const items = what.length > 0 ? what : all;
  if (items.length === 0) return "No changes";
  const groups = grouped(items);
  if (groups.length === 1) return groups[0] as string;
  const shown = groups.slice(0, 3).join("; ");
  const more = groups.length > 3 ? `; and ${groups.length - 3} more` : "";
  return `${items.length} changes: ${shown}${more}`;
}

/** The part of a plan summary its words come from. */
export interface PlanWords {
  changes?: string[] | undefined;
  lines: string[];
}

/**
 * Everything the plan changes, one sentence each, capitalized: the service changes in words, then
 * what only the lines say. Without `changes` (an apply stored before they existed), the lines.
 */
export function planChangeList(summary: PlanWords): string[] {
  const lines = summary.lines.filter((line) => !NOTES.test(line));
  const changes = summary.changes ?? [];
  const extra = summary.changes
    ? lines.filter(
        (line) => !TABLE_LINE.test(line) && !(changes.length > 0 && HOSTS_ONLY.test(line)),
      )
    : lines;
  return [...new Set([...changes, ...extra.map(capitalize)])];
}
