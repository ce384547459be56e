import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

function req(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: t.cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function makeCluster() {
  const cluster = (await req("POST", "/api/clusters", { name: "web" })).json();
  const service = (
    await req("POST", `/api/clusters/${cluster.id}/services`, {
      protocol: "tcp",
      vip: "192.168.77.100",
      port: 80,
      scheduler: "rr",
      forwarding: "nat",
    })
  ).json();
  return { cluster, service };
}

describe("clusters, services, realservers", () => {
  it("creates the whole tree and returns it nested, with ids, 201 on every create", async () => {
    const host = (
      await req("POST", "/api/hosts", {
        name: "d1",
        address: "10.10.0.1",
        auth: { type: "password", password: "p" },
      })
    ).json();
    const created = await req("POST", "/api/clusters", { name: "web", description: "front" });
    expect(created.statusCode).toBe(201);
    const cluster = created.json();
    expect(cluster).toMatchObject({
      name: "web",
      description: "front",
      director: null,
      services: [],
    });

    const director = await req("PUT", `/api/clusters/${cluster.id}/director`, {
      hostId: host.id,
      dip: "10.10.0.1",
      interface: "eth0",
    });
    expect(director.statusCode).toBe(200);

    const svc = await req("POST", `/api/clusters/${cluster.id}/services`, {
      protocol: "tcp",
      vip: "10.10.0.200",
      port: 443,
      scheduler: "wlc",
      persistence: 300,
      forwarding: "dr",
    });
    expect(svc.statusCode).toBe(201);
    const service = svc.json();
    for (const address of ["10.10.0.11", "10.10.0.12"]) {
      const rs = await req("POST", `/api/services/${service.id}/realservers`, {
        address,
        port: 443,
        weight: 2,
      });
      expect(rs.statusCode).toBe(201);
      expect(rs.json().id).toEqual(expect.any(String));
    }

    const got = (await req("GET", `/api/clusters/${cluster.id}`)).json();
    expect(got.director).toMatchObject({
      hostId: host.id,
      dip: "10.10.0.1",
      interface: "eth0",
      host: { name: "d1" },
    });
    expect(got.services).toHaveLength(1);
    expect(got.services[0]).toMatchObject({
      vip: "10.10.0.200",
      port: 443,
      persistence: 300,
      forwarding: "dr",
    });
    expect(got.services[0].realservers.map((r: { address: string }) => r.address)).toEqual([
      "10.10.0.11",
      "10.10.0.12",
    ]);
    const list = (await req("GET", "/api/clusters")).json();
    expect(list[0].services[0].realservers).toHaveLength(2);
  });

  it("gives a field-level 400 for each kind of bad service and realserver input", async () => {
    const { cluster, service } = await makeCluster();
    const base = { protocol: "tcp", vip: "10.0.0.1", port: 80, scheduler: "rr", forwarding: "nat" };
    const serviceCases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, vip: "300.1.1.1" }, "vip", /IPv4 or IPv6/],
      [{ ...base, vip: "fe80::1%eth0" }, "vip", /IPv4 or IPv6/],
      [{ ...base, port: 0 }, "port", /1 to 65535/],
      [{ ...base, port: 65536 }, "port", /1 to 65535/],
      [{ ...base, port: 8.5 }, "port", /whole number/],
      [{ ...base, scheduler: "fastest" }, "scheduler", /^must be one of rr, wrr, /],
      [{ ...base, forwarding: "ipip" }, "forwarding", /nat, dr or tun/],
      [{ ...base, protocol: "icmp" }, "protocol", /tcp, udp or sctp/],
      [
        { ...base, scheduler: "rr", schedulerFlags: ["sh-port"] },
        "schedulerFlags",
        /takes no flags/,
      ],
      [{ ...base, persistenceNetmask: "255.255.255.0" }, "persistenceNetmask", /only applies/],
    ];
    for (const [body, field, reason] of serviceCases) {
      const res = await req("POST", `/api/clusters/${cluster.id}/services`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().fields[field], res.body).toMatch(reason);
    }
    const rsCases: [Record<string, unknown>, string][] = [
      [{ address: "10.0.0.999", port: 80 }, "address"],
      [{ address: "10.0.0.5", port: -1 }, "port"],
      [{ address: "10.0.0.5", port: 80, weight: 65536 }, "weight"],
      [{ address: "10.0.0.5", port: 80, weight: -1 }, "weight"],
      [{ address: "10.0.0.5", port: 80, enabled: "yes" }, "enabled"],
      [{ address: "10.0.0.5", port: 80, upperThreshold: 10, lowerThreshold: 20 }, "lowerThreshold"],
      [{ address: "10.0.0.5", port: 80, hostId: "missing" }, "hostId"],
    ];
    for (const [body, field] of rsCases) {
      const res = await req("POST", `/api/services/${service.id}/realservers`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.json().fields), res.body).toContain(field);
    }
  });

  it("answers 409 for a duplicate protocol+VIP+port, also when a PATCH would create one", async () => {
    const { cluster, service } = await makeCluster();
    const dup = await req("POST", `/api/clusters/${cluster.id}/services`, {
      protocol: "tcp",
      vip: "192.168.77.100",
      port: 80,
      scheduler: "wlc",
      forwarding: "dr",
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().fields.port).toMatch(/already exists/);
    // Same VIP+port on UDP is a different service.
    const udp = await req("POST", `/api/clusters/${cluster.id}/services`, {
      protocol: "udp",
      vip: "192.168.77.100",
      port: 80,
      scheduler: "rr",
      forwarding: "nat",
    });
    expect(udp.statusCode).toBe(201);
    const clash = await req("PATCH", `/api/services/${udp.json().id}`, { protocol: "tcp" });
    expect(clash.statusCode).toBe(409);

    await req("POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.11",
      port: 80,
    });
    const rsDup = await req("POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.11",
      port: 80,
    });
    expect(rsDup.statusCode).toBe(409);
  });

  it("toggles NAT/DR, edits weight and deletes, recording each change in the audit log", async () => {
    const { cluster, service } = await makeCluster();
    const rs = (
      await req("POST", `/api/services/${service.id}/realservers`, {
        address: "10.10.0.11",
        port: 80,
      })
    ).json();
    expect(
      (await req("PATCH", `/api/services/${service.id}`, { forwarding: "dr" })).json().forwarding,
    ).toBe("dr");
    expect((await req("PATCH", `/api/realservers/${rs.id}`, { weight: 0 })).json().weight).toBe(0);
    expect((await req("DELETE", `/api/realservers/${rs.id}`)).statusCode).toBe(204);
    expect((await req("DELETE", `/api/services/${service.id}`)).statusCode).toBe(204);
    expect((await req("DELETE", `/api/clusters/${cluster.id}`)).statusCode).toBe(204);
    const actions = (await req("GET", "/api/audit?limit=50"))
      .json()
      .map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      "cluster.delete",
      "service.delete",
      "realserver.delete",
      "realserver.update",
      "service.update",
      "realserver.create",
      "service.create",
      "cluster.create",
    ]);
    const toggle = (await req("GET", `/api/audit?entityId=${service.id}`)).json()[1];
    expect(toggle.before.forwarding).toBe("nat");
    expect(toggle.after.forwarding).toBe("dr");
    expect(toggle.username).toBe("admin");
  });

  it("answers 404 for missing ids on every route", async () => {
    const calls: [Parameters<typeof req>[0], string, unknown?][] = [
      ["GET", "/api/clusters/nope"],
      ["PATCH", "/api/clusters/nope", { name: "x" }],
      ["DELETE", "/api/clusters/nope"],
      ["PUT", "/api/clusters/nope/director", { hostId: "h", dip: "10.0.0.1", interface: "eth0" }],
      [
        "POST",
        "/api/clusters/nope/services",
        { protocol: "tcp", vip: "10.0.0.1", port: 80, scheduler: "rr", forwarding: "nat" },
      ],
      ["PATCH", "/api/services/nope", { port: 81 }],
      ["DELETE", "/api/services/nope"],
      ["POST", "/api/services/nope/realservers", { address: "10.0.0.2", port: 80 }],
      ["PATCH", "/api/realservers/nope", { weight: 2 }],
      ["DELETE", "/api/realservers/nope"],
      ["GET", "/api/hosts/nope"],
      ["GET", "/api/nothing-here"],
    ];
    for (const [method, url, body] of calls) {
      const res = await req(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it("never answers 500 to malformed bodies", async () => {
    const { cluster } = await makeCluster();
    const bodies = [
      "{",
      "null",
      "[]",
      '"x"',
      "1e999",
      '{"port": "80"}',
      '{"__proto__": {"x": 1}}',
      "\u0000",
    ];
    for (const raw of bodies) {
      const res = await t.app.inject({
        method: "POST",
        url: `/api/clusters/${cluster.id}/services`,
        headers: { cookie: t.cookie, "content-type": "application/json" },
        payload: raw,
      });
      expect(res.statusCode, raw).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, raw).toBeLessThan(500);
    }
  });
});
