import { describe, expect, it } from "vitest";
import type { ClusterHealth, RealserverHealth } from "../api/types.ts";
import { liveServiceHealth } from "./realserverHealth.ts";
import type { LiveRealserver, LiveService, LiveTick } from "./types.ts";

const AT = "2026-01-01T12:00:00.000Z";

const services = [
  { id: "svc-web", protocol: "tcp", vip: "192.0.2.10", port: 80 },
  { id: "svc-dns", protocol: "udp", vip: "fd00::200", port: 53 },
] as const;

function verdict(
  id: string,
  serviceId: string,
  address: string,
  port: number,
  state: RealserverHealth["state"],
): RealserverHealth {
  return {
    id,
    serviceId,
    address,
    port,
    state,
    since: null,
    liveWeight: state === "up" ? 1 : 0,
  };
}

function live(key: string, realservers: string[]): LiveService {
  const rs = (k: string): LiveRealserver => ({ key: k, weight: 1, stats: {}, rates: {} });
  return { key, stats: {}, rates: {}, realservers: realservers.map(rs) };
}

function tick(health: ClusterHealth | undefined): Pick<LiveTick, "health" | "services"> {
  return {
    services: [
      live("TCP 192.0.2.10:80", ["10.0.0.11:80", "10.0.0.12:80", "10.0.0.99:80"]),
      live("UDP [fd00::200]:53", ["[fd00::11]:53", "[fd00::12]:53"]),
    ],
    ...(health ? { health } : {}),
  };
}

const health: ClusterHealth = {
  engine: "keepalived",
  at: AT,
  directors: [],
  realservers: [
    verdict("rs-1", "svc-web", "10.0.0.11", 80, "down"),
    verdict("rs-2", "svc-web", "10.0.0.12", 80, "up"),
    // Removed from the table by keepalived: not listed by the director.
    verdict("rs-3", "svc-web", "10.0.0.13", 80, "down"),
    // Written the long way in the panel; ipvsadm lists it compressed.
    verdict("rs-4", "svc-dns", "FD00:0:0::0011", 53, "unknown"),
    verdict("rs-5", "svc-dns", "fd00::12", 53, "up"),
  ],
};

describe("liveServiceHealth", () => {
  it("matches each listed realserver to its verdict by address and port within its service", () => {
    const byService = liveServiceHealth(tick(health), services);
    const web = byService?.get("TCP 192.0.2.10:80");
    expect(web?.at).toBe(AT);
    expect(web?.byKey.get("10.0.0.11:80")?.id).toBe("rs-1");
    expect(web?.byKey.get("10.0.0.12:80")?.id).toBe("rs-2");
    // Listed by the director but not one of the panel's (a sorry server, say): no verdict.
    expect(web?.byKey.has("10.0.0.99:80")).toBe(false);
    expect(web?.absent.map((v) => v.id)).toEqual(["rs-3"]);

    const dns = byService?.get("UDP [fd00::200]:53");
    expect(dns?.byKey.get("[fd00::11]:53")?.state).toBe("unknown");
    expect(dns?.byKey.get("[fd00::12]:53")?.id).toBe("rs-5");
    expect(dns?.absent).toEqual([]);
  });

  it("does not take another service's verdict for the same address and port", () => {
    const other: ClusterHealth = {
      ...health,
      realservers: [verdict("rs-x", "svc-dns", "10.0.0.11", 80, "down")],
    };
    const web = liveServiceHealth(tick(other), services)?.get("TCP 192.0.2.10:80");
    expect(web?.byKey.size).toBe(0);
    expect(web?.absent).toEqual([]);
  });

  it("is null without keepalived's verdicts: no health, or an ipvsadm cluster", () => {
    expect(liveServiceHealth(tick(undefined), services)).toBeNull();
    expect(liveServiceHealth(tick({ ...health, engine: "ipvsadm" }), services)).toBeNull();
  });
});
