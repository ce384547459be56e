// Drift: what changed on a director outside the panel. The director's live table is compared,
// service by service, with what the panel last put there (or imported, or adopted): only the
// cluster's own services, since the rest of the table is not the panel's to judge. Under
// keepalived, a realserver its checks took out is health, not drift.
import { canonicalAddress } from "../address.ts";
import { effectiveWeight, type RealServerSpec, type ServiceSpec } from "../model.ts";
import { normalizeServices } from "../normalize.ts";
import { serviceLabel } from "../plan/ipvs-diff.ts";
import { underHealthState } from "../plan/keepalived-plan.ts";
import { ownershipKey } from "../plan/ownership.ts";

export type DriftKind = "service" | "realserver" | "weight" | "setting";

export interface DriftChange {
  service: string;
  kind: DriftKind;
  /** In plain words: "realserver 10.10.0.13:80 was added". */
  change: string;
  /** The service's key (ownershipKey), and the realserver's endpoint when the change is one's. */
  key: string;
  realserver?: { address: string; port: number };
}

export interface TableDrift {
  changes: DriftChange[];
  counts: Record<DriftKind, number>;
  /** "changed outside the panel: 2 realservers, 1 weight"; empty when nothing changed. */
  summary: string;
}

const NOUNS: Record<DriftKind, [string, string]> = {
  service: ["service", "services"],
  realserver: ["realserver", "realservers"],
  weight: ["weight", "weights"],
  setting: ["setting", "settings"],
};

const endpoint = (rs: RealServerSpec) => `${canonicalAddress(rs.address)}|${rs.port}`;
const shown = (rs: RealServerSpec) =>
  rs.address.includes(":") ? `[${rs.address}]:${rs.port}` : `${rs.address}:${rs.port}`;

/**
 * @param known what the director should hold of the cluster (the kernel's view: weights as pushed).
 * @param live the director's services that the cluster owns, as read.
 */
export function tableDrift(
  known: readonly ServiceSpec[],
  live: readonly ServiceSpec[],
  opts: { keepalived?: boolean } = {},
): TableDrift {
  const want = opts.keepalived ? underHealthState([...known], [...live]) : [...known];
  const wantBy = new Map(normalizeServices({ services: want }).map((s) => [ownershipKey(s), s]));
  const liveBy = new Map(
    normalizeServices({ services: [...live] }).map((s) => [ownershipKey(s), s]),
  );
  const changes: DriftChange[] = [];
  const add = (s: ServiceSpec, kind: DriftKind, change: string, rs?: RealServerSpec) =>
    changes.push({
      service: serviceLabel(s),
      kind,
      change,
      key: ownershipKey(s),
      ...(rs ? { realserver: { address: canonicalAddress(rs.address), port: rs.port } } : {}),
    });
  for (const [key, w] of wantBy) {
    const l = liveBy.get(key);
    if (!l) {
      add(w, "service", "the service was removed");
      continue;
    }
    if (
      w.scheduler !== l.scheduler ||
      (w.schedulerFlags ?? []).join(",") !== (l.schedulerFlags ?? []).join(",") ||
      (w.persistence ?? null) !== (l.persistence ?? null) ||
      (w.persistenceNetmask ?? null) !== (l.persistenceNetmask ?? null)
    ) {
      add(
        w,
        "setting",
        `scheduling is now ${l.scheduler}${l.persistence ? ` with persistence ${l.persistence} s` : ""}`,
      );
    }
    const liveRs = new Map(l.realservers.map((rs) => [endpoint(rs), rs]));
    const wantRs = new Set(w.realservers.map(endpoint));
    for (const rs of w.realservers) {
      const now = liveRs.get(endpoint(rs));
      if (!now) {
        add(w, "realserver", `realserver ${shown(rs)} was removed`, rs);
        continue;
      }
      if (effectiveWeight(rs) !== now.weight) {
        add(
          w,
          "weight",
          `realserver ${shown(rs)} has weight ${now.weight}, not ${effectiveWeight(rs)}`,
          rs,
        );
      }
      const method = (x: RealServerSpec) => x.forwarding ?? w.forwarding;
      const liveMethod = now.forwarding ?? l.forwarding;
      if (
        method(rs) !== liveMethod ||
        (rs.upperThreshold ?? 0) !== (now.upperThreshold ?? 0) ||
        (rs.lowerThreshold ?? 0) !== (now.lowerThreshold ?? 0)
      ) {
        add(w, "setting", `realserver ${shown(rs)} forwards or limits differently`, rs);
      }
    }
    for (const rs of l.realservers) {
      if (!wantRs.has(endpoint(rs))) add(w, "realserver", `realserver ${shown(rs)} was added`, rs);
    }
  }
  for (const [key, l] of liveBy) {
    if (!wantBy.has(key)) add(l, "service", "the service was added");
  }
  const counts: Record<DriftKind, number> = { service: 0, realserver: 0, weight: 0, setting: 0 };
  for (const c of changes) counts[c.kind]++;
  const parts = (Object.keys(NOUNS) as DriftKind[])
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${NOUNS[k][counts[k] === 1 ? 0 : 1]}`);
  return {
    changes,
    counts,
    summary: parts.length > 0 ? `changed outside the panel: ${parts.join(", ")}` : "",
  };
}
