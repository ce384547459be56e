import { describe, expect, it } from "vitest";
import type { ClusterSpec, ServiceSpec } from "./model.ts";
import { validateCluster } from "./validate.ts";

const director = { dip: "10.10.0.1", interface: "eth1" };

function service(over: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    protocol: "tcp",
    vip: "10.10.0.200",
    port: 80,
    scheduler: "rr",
    forwarding: "dr",
    realservers: [
      { address: "10.10.0.11", port: 80, weight: 1, enabled: true },
      { address: "10.10.0.12", port: 80, weight: 1, enabled: true },
    ],
    ...over,
  };
}

function codes(spec: ClusterSpec) {
  const r = validateCluster(spec);
  return { errors: r.errors.map((e) => e.code), warnings: r.warnings.map((w) => w.code), r };
}

describe("validateCluster", () => {
  it("accepts a plain DR cluster", () => {
    const { errors, warnings } = codes({ director, services: [service()] });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("rejects DR port remapping with the realserver's field path", () => {
    const svc = service();
    svc.realservers[1] = { address: "10.10.0.12", port: 8080, weight: 1, enabled: true };
    const { r } = codes({ director, services: [svc] });
    expect(r.errors).toEqual([
      expect.objectContaining({
        code: "DR_PORT_MISMATCH",
        field: "services[0].realservers[1].port",
      }),
    ]);
  });

  it("allows port remapping in NAT", () => {
    const svc = service({ forwarding: "nat" });
    svc.realservers[0] = { address: "10.10.0.11", port: 8080, weight: 1, enabled: true };
    expect(codes({ director, services: [svc] }).errors).toEqual([]);
  });

  it("requires DR realservers inside the DIP subnet, honouring dipPrefix", () => {
    const svc = service({
      realservers: [{ address: "10.10.1.11", port: 80, weight: 1, enabled: true }],
    });
    expect(codes({ director, services: [svc] }).errors).toEqual(["DR_RS_OUTSIDE_DIP_SUBNET"]);
    expect(codes({ director: { ...director, dipPrefix: 16 }, services: [svc] }).errors).toEqual([]);
  });

  it("warns (not errors) for NAT realservers outside the DIP subnet", () => {
    const svc = service({
      forwarding: "nat",
      realservers: [{ address: "172.16.0.5", port: 80, weight: 1, enabled: true }],
    });
    const { errors, warnings } = codes({ director, services: [svc] });
    expect(errors).toEqual([]);
    expect(warnings).toEqual(["NAT_RS_OUTSIDE_DIP_SUBNET"]);
  });

  it("warns for more than five NAT realservers but not for five", () => {
    const pool = (n: number) =>
      Array.from({ length: n }, (_, k) => ({
        address: `10.10.0.${k + 10}`,
        port: 80,
        weight: 1,
        enabled: true,
      }));
    const five = codes({
      director,
      services: [service({ forwarding: "nat", realservers: pool(5) })],
    });
    const six = codes({
      director,
      services: [service({ forwarding: "nat", realservers: pool(6) })],
    });
    expect(five.warnings).not.toContain("NAT_TOO_MANY_REALSERVERS");
    expect(six.warnings).toContain("NAT_TOO_MANY_REALSERVERS");
    expect(codes({ director, services: [service({ realservers: pool(6) })] }).warnings).toEqual([]);
  });

  it("finds duplicate services even when the VIP is spelled differently", () => {
    const a = service({ vip: "fd00::200", realservers: [] });
    const b = service({ vip: "FD00:0:0::200", realservers: [] });
    const { r } = codes({ director: null, services: [a, b] });
    expect(r.errors).toEqual([
      expect.objectContaining({ code: "DUPLICATE_SERVICE", field: "services[1]" }),
    ]);
    const udp = service({ protocol: "udp" });
    expect(codes({ director, services: [service(), udp] }).errors).toEqual([]);
  });

  it("finds duplicate realservers by address and port", () => {
    const svc = service();
    svc.realservers.push({ address: "10.10.0.11", port: 80, weight: 5, enabled: false });
    const { r } = codes({ director, services: [svc] });
    expect(r.errors.map((e) => [e.code, e.field])).toEqual([
      ["DUPLICATE_REALSERVER", "services[0].realservers[2]"],
    ]);
  });

  it("rejects an IPv6 realserver behind an IPv4 VIP", () => {
    const svc = service({
      realservers: [{ address: "fd00::11", port: 80, weight: 1, enabled: true }],
    });
    expect(codes({ director, services: [svc] }).errors).toEqual(["FAMILY_MISMATCH"]);
  });

  it("checks threshold order, treating upper 0 as no limit", () => {
    const rs = { address: "10.10.0.11", port: 80, weight: 1, enabled: true };
    const bad = service({ realservers: [{ ...rs, upperThreshold: 10, lowerThreshold: 20 }] });
    const ok = service({ realservers: [{ ...rs, upperThreshold: 20, lowerThreshold: 20 }] });
    expect(codes({ director, services: [bad] }).errors).toEqual(["THRESHOLD_ORDER"]);
    expect(codes({ director, services: [ok] }).errors).toEqual([]);
  });

  it("accepts scheduler flags only for their scheduler", () => {
    const ok = service({ scheduler: "sh", schedulerFlags: ["sh-port", "sh-fallback"] });
    const wrong = service({ scheduler: "sh", schedulerFlags: ["mh-port"] });
    const none = service({ scheduler: "rr", schedulerFlags: ["sh-port"] });
    expect(codes({ director, services: [ok] }).errors).toEqual([]);
    expect(codes({ director, services: [wrong] }).r.errors[0]?.field).toBe(
      "services[0].schedulerFlags[0]",
    );
    expect(codes({ director, services: [none] }).errors).toEqual(["INVALID_SCHEDULER_FLAG"]);
  });

  it("allows a persistence netmask only with persistence, in the VIP's family form", () => {
    const noPersist = service({ persistenceNetmask: "255.255.255.0" });
    const v4 = service({ persistence: 60, persistenceNetmask: "255.255.255.0" });
    const badMask = service({ persistence: 60, persistenceNetmask: "255.0.255.0" });
    expect(codes({ director, services: [noPersist] }).errors).toEqual([
      "NETMASK_WITHOUT_PERSISTENCE",
    ]);
    expect(codes({ director, services: [v4] }).errors).toEqual([]);
    expect(codes({ director, services: [badMask] }).errors).toEqual(["INVALID_NETMASK"]);
    const v6 = service({
      vip: "fd00::200",
      persistence: 60,
      persistenceNetmask: "64",
      realservers: [{ address: "fd00::11", port: 80, weight: 1, enabled: true }],
    });
    expect(codes({ director: null, services: [v6] }).errors).toEqual([]);
  });

  it("rejects hostile strings in addresses and interface names", () => {
    const { errors } = codes({
      director: { dip: "10.10.0.1; reboot", interface: "eth0$(id)" },
      services: [service({ vip: "1.2.3.4 && rm -rf /" })],
    });
    expect(errors).toEqual(["INVALID_ADDRESS", "INVALID_INTERFACE", "INVALID_ADDRESS"]);
  });

  it("reports bad ports and weights with the shared field messages", () => {
    const svc = service({ port: 0 });
    svc.realservers[0] = { address: "10.10.0.11", port: 80, weight: 70000, enabled: true };
    const { r } = codes({ director: null, services: [svc] });
    expect(r.errors.map((e) => e.field)).toEqual([
      "services[0].port",
      "services[0].realservers[0].weight",
    ]);
    expect(r.errors[1]?.message).toMatch(/65535/);
  });
});
