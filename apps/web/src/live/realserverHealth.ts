// keepalived's verdict on each realserver, from the tick the live view already has, matched to the
// director's counters: the tick's services are keyed "TCP vip:port" and their realservers "rip:port"
// (IPv6 as "[addr]:port", as ipvsadm writes them), while a verdict names the panel's service by id
// and its realserver by address and port.
import { canonicalAddress, liveServiceKey, parseEndpoint } from "@lvs-panel/lvs";
import type { RealserverHealth, Service } from "../api/types.ts";
import type { LiveService, LiveTick } from "./types.ts";

/** What the live view shows of keepalived's verdicts for one service of the director. */
export interface ServiceHealth {
  /** When the verdicts were judged (the tick's reading). */
  at: string;
  /** The verdict for each realserver of the director's table, by its live key; absent: none. */
  byKey: ReadonlyMap<string, RealserverHealth>;
  /**
   * The service's realservers that are not in the director's table: keepalived removed them
   * (a failed check with `onFailure: remove`), or they are not applied yet.
   */
  absent: readonly RealserverHealth[];
}

/**
 * Per live service key, the verdicts of its realservers; null when the tick carries none (the
 * ipvsadm engine, where nothing checks the realservers).
 */
export function liveServiceHealth(
  tick: Pick<LiveTick, "health" | "services">,
  services: readonly Pick<Service, "id" | "protocol" | "vip" | "port">[],
): Map<string, ServiceHealth> | null {
  const health = tick.health;
  if (health?.engine !== "keepalived") return null;
  const result = new Map<string, ServiceHealth>();
  for (const live of tick.services) {
    const ids = new Set(services.filter((s) => liveServiceKey(s) === live.key).map((s) => s.id));
    const verdicts = health.realservers.filter((rs) => ids.has(rs.serviceId));
    result.set(live.key, { at: health.at, ...matchRealservers(live, verdicts) });
  }
  return result;
}

/**
 * Pairs the director's realservers with the verdicts, by address (canonical, so "FD00::0011" is
 * "fd00::11") and port. A realserver listed on port 0 takes the verdict for its address, as the
 * verdicts themselves are judged (packages/lvs/src/health-state.ts).
 */
function matchRealservers(
  live: Pick<LiveService, "realservers">,
  verdicts: readonly RealserverHealth[],
): Pick<ServiceHealth, "byKey" | "absent"> {
  const byKey = new Map<string, RealserverHealth>();
  const left = verdicts.map((v) => ({ verdict: v, address: canonicalAddress(v.address) }));
  const take = (address: string, port: number | null) => {
    const index = left.findIndex(
      (v) => v.address === address && (port === null || v.verdict.port === port),
    );
    return index < 0 ? undefined : left.splice(index, 1)[0]?.verdict;
  };
  for (const rs of live.realservers) {
    const endpoint = parseEndpoint(rs.key);
    if (!endpoint) continue;
    const verdict =
      take(endpoint.address, endpoint.port) ??
      (endpoint.port === 0 ? take(endpoint.address, null) : undefined);
    if (verdict) byKey.set(rs.key, verdict);
  }
  return { byKey, absent: left.map((v) => v.verdict) };
}
