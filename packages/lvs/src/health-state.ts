// keepalived's verdict on each realserver, read from the IPVS table together with the
// configuration the panel gave it (docs/decisions/0004-health-state-source.md): keepalived takes a
// realserver that fails its checks out of rotation, by weight 0 (quiesce, inhibit_on_failure) or
// by deleting it (remove), and that is exactly what the table shows. No format of keepalived's own
// dumps is relied on, and it costs nothing: the live view reads the table every tick anyway.
import { canonicalAddress } from "./address.ts";
import { DEFAULT_FAILURE_ACTION, effectiveHealthCheck } from "./health-check.ts";
import { effectiveWeight, type RealServerSpec, type ServiceSpec } from "./model.ts";
import { normalizeServices } from "./normalize.ts";
import { serviceKey } from "./validate.ts";

export type RealserverHealthState = "up" | "down" | "unknown";

export interface RealserverVerdict {
  state: RealserverHealthState;
  /** Why down or unknown, in plain words. */
  reason?: string;
  /** The weight the table holds; null when the realserver is not in it. */
  liveWeight: number | null;
}

/**
 * The verdict for every realserver of `desired` (same order, service by service), given the live
 * table and whether keepalived runs. Only meaningful on the keepalived engine.
 */
export function realserverVerdicts(
  desired: readonly ServiceSpec[],
  table: readonly ServiceSpec[],
  keepalivedRunning: boolean,
): RealserverVerdict[][] {
  const live = new Map(normalizeServices({ services: [...table] }).map((s) => [serviceKey(s), s]));
  return desired.map((s) => {
    const seen = live.get(serviceKey(s));
    return s.realservers.map((rs) => verdict(s, rs, seen, keepalivedRunning));
  });
}

function verdict(
  s: ServiceSpec,
  rs: RealServerSpec,
  seen: ServiceSpec | undefined,
  running: boolean,
): RealserverVerdict {
  const address = canonicalAddress(rs.address);
  const entry = seen?.realservers.find(
    (r) => canonicalAddress(r.address) === address && (r.port === rs.port || r.port === 0),
  );
  const liveWeight = entry ? entry.weight : null;
  const unknown = (reason: string): RealserverVerdict => ({ state: "unknown", reason, liveWeight });
  if (!running) return unknown("keepalived is not running on the director: nothing checks it");
  const check = effectiveHealthCheck(s);
  if (check.type === "none") return unknown("the service has no health check");
  if (!seen) return unknown("the service is not in the director's table (not applied yet?)");
  const onFailure = s.onFailure ?? DEFAULT_FAILURE_ACTION;
  const want = effectiveWeight(rs);
  if (onFailure === "remove") {
    if (!entry)
      return {
        state: "down",
        reason: `failed its ${check.type} check: removed from the table`,
        liveWeight,
      };
    return { state: "up", liveWeight };
  }
  if (!entry) return unknown("not in the director's table (not applied yet?)");
  if (want === 0) {
    return unknown(
      "weight 0 by configuration (drained or disabled): a failed check looks the same",
    );
  }
  if (entry.weight === 0) {
    return {
      state: "down",
      reason: `failed its ${check.type} check: quiesced at weight 0`,
      liveWeight,
    };
  }
  return { state: "up", liveWeight };
}
