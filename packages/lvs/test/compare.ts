// Order-insensitive canonical form of a ClusterState, for "these two states are the same".
import { emptyHostState, type HostState, TUN_SYSCTLS, TUNNEL_DEVICE } from "../src/host/state.ts";
import { normalizeServices } from "../src/normalize.ts";
import type { ClusterState } from "../src/plan/cluster-state.ts";
import { normalizedServiceKey } from "../src/plan/ipvs-diff.ts";

function hostCanon(h: HostState) {
  // TUN's rp_filter settings are the panel's only on a host with a VIP on tunl0: elsewhere a plan
  // leaves them as they are (host/state.ts), so they are no part of what it must reach.
  const tunnel = h.addresses.some((a) => a.dev === TUNNEL_DEVICE);
  const sysctls = Object.entries(h.sysctls).filter(
    ([k]) => tunnel || !Object.hasOwn(TUN_SYSCTLS, k),
  );
  return {
    sysctls: Object.fromEntries(sysctls.sort()),
    addresses: h.addresses.map((a) => `${a.dev} ${a.address}/${a.prefix}`).sort(),
    rules: h.rules.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort(),
    routes: h.routes.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort(),
    files: Object.fromEntries(Object.entries(h.files).sort()),
  };
}

export function canonicalState(s: ClusterState) {
  const services = normalizeServices(s)
    .map((svc) => {
      const realservers = [...svc.realservers].sort((a, b) =>
        `${a.address}|${a.port}`.localeCompare(`${b.address}|${b.port}`),
      );
      // The service-level method is only "the first realserver's"; order is not meaningful.
      return { ...svc, forwarding: realservers[0]?.forwarding ?? "dr", realservers };
    })
    .sort((a, b) => normalizedServiceKey(a).localeCompare(normalizedServiceKey(b)));
  const emptyRs = JSON.stringify(hostCanon(emptyHostState("realserver")));
  const emptyDirector = JSON.stringify(hostCanon(emptyHostState("director")));
  const director = s.hosts.director ? hostCanon(s.hosts.director) : null;
  return {
    services,
    director: director && JSON.stringify(director) !== emptyDirector ? director : null,
    realservers: Object.fromEntries(
      Object.entries(s.hosts.realservers)
        .map(([a, h]) => [a, hostCanon(h)] as const)
        .filter(([, h]) => JSON.stringify(h) !== emptyRs)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
}
