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
      vip: "192.168.77.100",
      realservers: [{ address: "172.16.0.5", port: 80, weight: 1, enabled: true }],
    });
    const { errors, warnings } = codes({ director, services: [svc] });
    expect(errors).toEqual([]);
    expect(warnings).toEqual(["NAT_RS_OUTSIDE_DIP_SUBNET"]);
  });

  it("warns when a NAT VIP sits inside the realservers' subnet, not a DR one", () => {
    const nat = service({ forwarding: "nat" });
    const { r } = codes({ director, services: [nat] });
    expect(r.warnings).toEqual([
      {
        code: "NAT_VIP_IN_REALSERVER_SUBNET",
        field: "services[0].vip",
        message: expect.stringMatching(
          /^NAT VIP 10\.10\.0\.200 is inside the realservers' subnet 10\.10\.0\.1\/24: clients on that subnet get their replies straight from a realserver/,
        ),
      },
    ]);
    expect(codes({ director, services: [service()] }).warnings).toEqual([]);
    // The DIP's prefix decides: a /28 keeps 10.10.0.200 outside.
    expect(codes({ director: { ...director, dipPrefix: 28 }, services: [nat] }).warnings).toEqual(
      [],
    );
    // One realserver switched to NAT is enough; no director, nothing to compare with.
    const mixed = service();
    mixed.realservers[0] = {
      address: "10.10.0.11",
      port: 80,
      weight: 1,
      enabled: true,
      forwarding: "nat",
    };
    expect(codes({ director, services: [mixed] }).warnings).toEqual([
      "NAT_VIP_IN_REALSERVER_SUBNET",
    ]);
    expect(codes({ director: null, services: [nat] }).warnings).toEqual(["NO_DIRECTOR"]);
  });

  it("warns once per realserver address that no entry links to an SSH host", () => {
    const svc = service({
      realservers: [
        { address: "10.10.0.11", port: 80, weight: 1, enabled: true, hostId: "h1" },
        { address: "10.10.0.12", port: 80, weight: 1, enabled: true, hostId: null },
        { address: "10.10.0.13", port: 80, weight: 1, enabled: true },
      ],
    });
    const other = service({
      port: 443,
      forwarding: "nat",
      vip: "192.168.77.100",
      realservers: [
        { address: "10.10.0.12", port: 443, weight: 1, enabled: true, hostId: null },
        { address: "10.10.0.11", port: 443, weight: 1, enabled: true, hostId: null },
      ],
    });
    const { r } = codes({ director, services: [svc, other] });
    // 10.10.0.11 is linked in the first service; 10.10.0.13 says nothing of hosts at all.
    expect(r.warnings).toEqual([
      {
        code: "REALSERVER_NOT_MANAGED",
        field: "services[0].realservers[1].hostId",
        message:
          "realserver 10.10.0.12 has no SSH host (none was linked, or its host was deleted): the panel configures nothing on it, so set up the return route of the service's replies through the director and the VIP on lo and the ARP settings by hand, or link it to a host",
      },
    ]);
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

describe("validateCluster on the keepalived engine", () => {
  const rs = (address: string, port: number, forwarding?: "nat" | "dr") => ({
    address,
    port,
    weight: 1,
    enabled: true,
    ...(forwarding ? { forwarding } : {}),
  });
  const mark = (realservers: ServiceSpec["realservers"]) =>
    service({ port: 0, fwmark: 7, forwarding: "dr", realservers });
  const onBoth = (s: ServiceSpec) => ({
    keepalived: codes({ engine: "keepalived", director: null, services: [s] }).r.errors,
    ipvsadm: codes({ director: null, services: [s] }).errors,
  });

  it("refuses a mark service's NAT realserver at port 0 beside a DR one on its address", () => {
    // keepalived.conf would name both `real_server 10.10.0.11`, and keepalived keeps the first.
    const { keepalived, ipvsadm } = onBoth(
      mark([rs("10.10.0.11", 80), rs("10.10.0.11", 0, "nat")]),
    );
    expect(keepalived).toEqual([
      {
        code: "KEEPALIVED_FWMARK_DUPLICATE",
        field: "services[0].realservers[1].port",
        message:
          "keepalived names a mark service's DR realservers (and NAT ones at port 0) by address only: this one and realservers[0] would be one real_server, and keepalived keeps only the first",
      },
    ]);
    expect(ipvsadm).toEqual([]);
    // The NAT one first, or the DR one without a port: the same collision.
    expect(onBoth(mark([rs("10.10.0.11", 0, "nat"), rs("10.10.0.11", 0)])).keepalived).toEqual([
      expect.objectContaining({ code: "DUPLICATE_REALSERVER" }),
      expect.objectContaining({ code: "KEEPALIVED_FWMARK_DUPLICATE" }),
    ]);
  });

  it("accepts a mark service's NAT realserver with a port, or on another address, beside a DR one", () => {
    expect(onBoth(mark([rs("10.10.0.11", 80), rs("10.10.0.11", 8080, "nat")])).keepalived).toEqual(
      [],
    );
    expect(onBoth(mark([rs("10.10.0.11", 80), rs("10.10.0.12", 0, "nat")])).keepalived).toEqual([]);
    // Two NAT ones alike are DUPLICATE_REALSERVER alone.
    expect(
      onBoth(mark([rs("10.10.0.11", 0, "nat"), rs("10.10.0.11", 0, "nat")])).keepalived.map(
        (e) => e.code,
      ),
    ).toEqual(["DUPLICATE_REALSERVER"]);
  });

  it("checks a sorry server's port against the method keepalived.conf gives it: the first realserver's", () => {
    const sorry = { address: "10.10.0.99", port: 8080 };
    const dr = service({ sorryServer: sorry });
    expect(onBoth(dr).keepalived.map((e) => [e.code, e.field])).toEqual([
      ["DR_SORRY_SERVER_PORT", "services[0].sorryServer.port"],
    ]);
    // A NAT service whose first realserver is DR: keepalived.conf says lvs_method DR.
    const natFirstDr = service({
      forwarding: "nat",
      sorryServer: sorry,
      realservers: [rs("10.10.0.11", 80, "dr"), rs("10.10.0.12", 8080)],
    });
    expect(onBoth(natFirstDr).keepalived).toEqual([
      {
        code: "DR_SORRY_SERVER_PORT",
        field: "services[0].sorryServer.port",
        message:
          "keepalived.conf forwards the sorry server by the first realserver's method, DR, which cannot remap ports: its port must be the service's, 80 (keepalived resets it)",
      },
    ]);
    // A DR service whose first realserver is NAT: the sorry server is NAT and may remap.
    const drFirstNat = service({
      sorryServer: sorry,
      realservers: [rs("10.10.0.11", 8080, "nat"), rs("10.10.0.12", 80)],
    });
    expect(onBoth(drFirstNat).keepalived).toEqual([]);
    expect(onBoth(dr).ipvsadm).toEqual([]);
  });
});

describe("validateCluster with TUN and SCTP", () => {
  const tun = (over: Partial<ServiceSpec> = {}) => service({ forwarding: "tun", ...over });
  const v6 = [{ address: "fd00::11", port: 80, weight: 1, enabled: true }];

  it("accepts TUN realservers outside the DIP's segment (the tunnel is routed), on TCP and SCTP", () => {
    const realservers = [{ address: "192.168.50.11", port: 80, weight: 1, enabled: true }];
    for (const protocol of ["tcp", "sctp"] as const) {
      const { errors, warnings } = codes({ director, services: [tun({ protocol, realservers })] });
      expect(errors).toEqual([]);
      expect(warnings).toEqual([]);
    }
  });

  it("refuses TUN with an IPv6 VIP, or a TUN realserver of an IPv6 service, naming the address", () => {
    const message =
      "must be IPv4 for TUN forwarding: its IP-in-IP tunnel (ipip, tunl0) carries IPv4 only; use DR or NAT for IPv6";
    expect(
      codes({ director: null, services: [tun({ vip: "fd00::200", realservers: v6 })] }).r.errors,
    ).toEqual([{ code: "TUN_IPV6", field: "services[0].vip", message }]);
    const oneTun = service({
      vip: "fd00::200",
      realservers: [
        ...v6,
        { address: "fd00::12", port: 80, weight: 1, enabled: true, forwarding: "tun" },
      ],
    });
    expect(codes({ director: null, services: [oneTun] }).r.errors).toEqual([
      { code: "TUN_IPV6", field: "services[0].realservers[1].address", message },
    ]);
  });

  it("refuses TUN port remapping, as DR's (ipvsadm sets the service's port)", () => {
    const svc = tun();
    svc.realservers[1] = { address: "10.10.0.12", port: 8080, weight: 1, enabled: true };
    expect(codes({ director, services: [svc] }).r.errors).toEqual([
      {
        code: "TUN_PORT_MISMATCH",
        field: "services[0].realservers[1].port",
        message: "TUN cannot remap ports: realserver port must equal the VIP port 80",
      },
    ]);
  });

  it("checks an SCTP service by default with nothing, and warns of a TCP check on it as on UDP", () => {
    const sctp = (over: Partial<ServiceSpec> = {}) => service({ protocol: "sctp", ...over });
    const keepalived = (s: ServiceSpec) => codes({ engine: "keepalived", director, services: [s] });
    expect(keepalived(sctp()).warnings).toEqual([]);
    const checked = keepalived(
      sctp({ healthCheck: { type: "tcp", intervalSeconds: 5, timeoutSeconds: 3, retries: 2 } }),
    );
    expect(checked.errors).toEqual([]);
    expect(checked.r.warnings).toEqual([
      {
        code: "SCTP_SERVICE_TCP_CHECK",
        field: "services[0].healthCheck.type",
        message:
          "an SCTP service checked with tcp connects over TCP: realservers that only speak SCTP refuse and are all taken out; check a TCP port of theirs, or choose none",
      },
    ]);
  });

  it("gives a TUN sorry server the service's port under keepalived, as a DR one", () => {
    const s = tun({ sorryServer: { address: "10.10.0.99", port: 8080 } });
    expect(codes({ engine: "keepalived", director, services: [s] }).errors).toEqual([
      "TUN_SORRY_SERVER_PORT",
    ]);
  });
});
