// fast-check generators of VALID cluster specs: small address pools so that services and
// realservers collide, overlap and switch modes often between two generated specs.
import fc from "fast-check";
import type { ClusterSpec, RealServerSpec, ServiceSpec } from "../src/model.ts";

const V4_VIPS = ["10.10.0.200", "10.10.0.201", "192.168.77.100"];
const V4_RIPS = [
  "10.10.0.11",
  "10.10.0.12",
  "10.10.0.13",
  "10.10.0.14",
  "10.10.0.15",
  "10.10.0.16",
];
const V6_RIPS = ["fd00::11", "fd00::12"];
const PORTS = [80, 443, 8080];

const realserver = (rips: string[], port: fc.Arbitrary<number>): fc.Arbitrary<RealServerSpec> =>
  fc.record(
    {
      address: fc.constantFrom(...rips),
      port,
      weight: fc.integer({ min: 0, max: 100 }),
      enabled: fc.boolean(),
      upperThreshold: fc.integer({ min: 0, max: 2000 }),
      lowerThreshold: fc.integer({ min: 0, max: 100 }),
    },
    { requiredKeys: ["address", "port", "weight", "enabled"] },
  );

const service: fc.Arbitrary<ServiceSpec> = fc
  .record({
    family: fc.constantFrom(4, 4, 4, 6),
    protocol: fc.constantFrom("tcp" as const, "udp" as const),
    vip: fc.constantFrom(...V4_VIPS),
    port: fc.constantFrom(...PORTS),
    forwarding: fc.constantFrom("nat" as const, "dr" as const),
    scheduler: fc.constantFrom("rr" as const, "wlc" as const, "sh" as const, "mh" as const),
    flagPick: fc.subarray(["fallback", "port"]),
    persistence: fc.option(fc.constantFrom(60, 300), { nil: null }),
    netmask: fc.boolean(),
    fwmark: fc.option(fc.constantFrom(7, 9), { freq: 6, nil: null }),
    rsPorts: fc.constantFrom(...PORTS),
    picks: fc.array(fc.nat(), { maxLength: 0 }),
  })
  .chain((b) => {
    const rips = b.family === 6 ? V6_RIPS : V4_RIPS;
    const rsPort = b.forwarding === "dr" ? fc.constant(b.port) : fc.constantFrom(...PORTS);
    return fc
      .uniqueArray(realserver(rips, b.fwmark != null ? fc.constantFrom(b.port, 0) : rsPort), {
        maxLength: 6,
        selector: (r) => `${r.address}|${r.port}`,
      })
      .map((realservers): ServiceSpec => {
        const flags =
          b.scheduler === "sh" || b.scheduler === "mh"
            ? b.flagPick.map((f) => `${b.scheduler}-${f}`)
            : [];
        const s: ServiceSpec = {
          protocol: b.protocol,
          vip: b.family === 6 ? "fd00::200" : b.vip,
          port: b.port,
          scheduler: b.scheduler,
          schedulerFlags: flags,
          persistence: b.persistence,
          persistenceNetmask:
            b.persistence != null && b.netmask ? (b.family === 6 ? "64" : "255.255.255.0") : null,
          forwarding: b.forwarding,
          realservers: realservers.map((r) =>
            // The kernel refuses a lower threshold above the upper one, even an upper of 0.
            (r.lowerThreshold ?? 0) > (r.upperThreshold ?? 0)
              ? { ...r, lowerThreshold: r.upperThreshold }
              : r,
          ),
        };
        if (b.fwmark != null) s.fwmark = b.fwmark;
        return s;
      });
  });

export const clusterSpec: fc.Arbitrary<ClusterSpec> = fc.record({
  director: fc.option(
    fc.record({
      dip: fc.constant("10.10.0.1"),
      interface: fc.constantFrom("eth1", "ens3"),
      vipInterface: fc.constantFrom("eth0", "eth1"),
    }),
    { freq: 8, nil: null },
  ),
  services: fc.uniqueArray(service, {
    maxLength: 5,
    selector: (s) =>
      s.fwmark != null
        ? `fwm|${s.fwmark}|${s.vip.includes(":")}`
        : `${s.protocol}|${s.vip}|${s.port}`,
  }),
});
