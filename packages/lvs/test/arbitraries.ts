// fast-check generators of VALID cluster specs: small address pools so that services and
// realservers collide, overlap and switch modes often between two generated specs.
import fc from "fast-check";
import type { Forwarding, Protocol } from "../src/fields.ts";
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

/** Which of the model's protocols and methods a generator draws from. */
interface Kinds {
  protocols: readonly Protocol[];
  forwardings: readonly Forwarding[];
}

const service = (kinds: Kinds): fc.Arbitrary<ServiceSpec> =>
  fc
    .record({
      family: fc.constantFrom(4, 4, 4, 6),
      protocol: fc.constantFrom(...kinds.protocols),
      vip: fc.constantFrom(...V4_VIPS),
      port: fc.constantFrom(...PORTS),
      forwarding: fc.constantFrom(...kinds.forwardings),
      scheduler: fc.constantFrom("rr" as const, "wlc" as const, "sh" as const, "mh" as const),
      flagPick: fc.subarray(["fallback", "port"]),
      persistence: fc.option(fc.constantFrom(60, 300), { nil: null }),
      netmask: fc.boolean(),
      fwmark: fc.option(fc.constantFrom(7, 9), { freq: 6, nil: null }),
      rsPorts: fc.constantFrom(...PORTS),
      picks: fc.array(fc.nat(), { maxLength: 0 }),
    })
    // TUN is IPv4 only (ipip): an IPv6 service of it is DR instead.
    .map((b) =>
      b.family === 6 && b.forwarding === "tun" ? { ...b, forwarding: "dr" as const } : b,
    )
    .chain((b) => {
      const rips = b.family === 6 ? V6_RIPS : V4_RIPS;
      // DR and TUN cannot remap ports.
      const rsPort = b.forwarding !== "nat" ? fc.constant(b.port) : fc.constantFrom(...PORTS);
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

const clusterSpecOf = (kinds: Kinds): fc.Arbitrary<ClusterSpec> =>
  fc.record({
    director: fc.option(
      fc.record({
        dip: fc.constant("10.10.0.1"),
        interface: fc.constantFrom("eth1", "ens3"),
        vipInterface: fc.constantFrom("eth0", "eth1"),
      }),
      { freq: 8, nil: null },
    ),
    services: fc.uniqueArray(service(kinds), {
      maxLength: 5,
      selector: (s) =>
        s.fwmark != null
          ? `fwm|${s.fwmark}|${s.vip.includes(":")}`
          : `${s.protocol}|${s.vip}|${s.port}`,
    }),
  });

/** Every protocol and forwarding method the model holds: TCP, UDP, SCTP; NAT, DR, TUN. */
export const anyClusterSpec = clusterSpecOf({
  protocols: ["tcp", "udp", "sctp"],
  forwardings: ["nat", "dr", "tun"],
});

/**
 * TCP and UDP, NAT and DR only: what the keepalived.conf import (parse/keepalived-conf) takes so
 * far; it refuses TUN and SCTP.
 */
export const clusterSpec = clusterSpecOf({ protocols: ["tcp", "udp"], forwardings: ["nat", "dr"] });
