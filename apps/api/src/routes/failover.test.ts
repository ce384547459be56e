// Director failover through the API, on a real SQLite file: the directors as a list, the VRRP
// settings and what they refuse, and the switchover's refusals. The pair on a real kernel, with
// keepalived on both directors: e2e/failover.spec.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

function req(method: "GET" | "POST" | "PATCH" | "PUT", url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: t.cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function host(name: string, address: string): Promise<string> {
  const res = await req("POST", "/api/hosts", {
    name,
    address,
    auth: { type: "password", password: "p" },
  });
  return res.json().id;
}

const HA = { virtualRouterId: 51, unicast: true, floatingGateway: "10.10.0.254" };

async function pairCluster(name = "pair") {
  const a = await host(`${name}-a`, "10.10.0.1");
  const b = await host(`${name}-b`, "10.10.0.2");
  const cluster = (await req("POST", "/api/clusters", { name, engine: "keepalived" })).json();
  const first = { hostId: a, dip: "10.10.0.1", interface: "lan0", vipInterface: "wan0" };
  const second = { hostId: b, dip: "10.10.0.2", interface: "lan0", vipInterface: "wan0" };
  return { cluster, a, b, first, second };
}

describe("director failover settings", () => {
  it("ha is stored with its defaults; two directors come back in order with priorities", async () => {
    const { cluster, first, second } = await pairCluster();
    const patched = await req("PATCH", `/api/clusters/${cluster.id}`, { ha: HA });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().ha).toEqual({
      virtualRouterId: 51,
      advertIntervalSeconds: 1,
      unicast: true,
      preempt: true,
      floatingGateway: "10.10.0.254",
      connectionSync: true,
    });
    const put = await req("PUT", `/api/clusters/${cluster.id}/directors`, [first, second]);
    expect(put.statusCode).toBe(200);
    const body = put.json();
    expect(
      body.directors.map((d: { dip: string; priority: number }) => [d.dip, d.priority]),
    ).toEqual([
      ["10.10.0.1", 150],
      ["10.10.0.2", 100],
    ]);
    // `director` stays, as the first entry.
    expect(body.director.dip).toBe("10.10.0.1");
    // PUT /director keeps working for one director: it changes the first, the second stays.
    const one = await req("PUT", `/api/clusters/${cluster.id}/director`, {
      ...first,
      dip: "10.10.0.3",
    });
    expect(one.json().directors.map((d: { dip: string }) => d.dip)).toEqual([
      "10.10.0.3",
      "10.10.0.2",
    ]);
    // Back to one director.
    const back = await req("PUT", `/api/clusters/${cluster.id}/directors`, [first]);
    expect(back.json().directors).toHaveLength(1);
  });

  it("refuses, in plain words: a pair without ha, ha on the ipvsadm engine, strict mode, a VRID clash", async () => {
    const { cluster, first, second } = await pairCluster();
    const noHa = await req("PUT", `/api/clusters/${cluster.id}/directors`, [first, second]);
    expect(noHa.statusCode).toBe(400);
    expect(JSON.stringify(noHa.json())).toMatch(
      /set the cluster's engine to keepalived and its failover settings/,
    );

    const plain = (await req("POST", "/api/clusters", { name: "plain" })).json();
    const onIpvsadm = await req("PATCH", `/api/clusters/${plain.id}`, { ha: HA });
    expect(onIpvsadm.statusCode).toBe(400);
    expect(onIpvsadm.json().fields.ha).toMatch(/runs on keepalived's VRRP/);

    const strict = await req("PATCH", `/api/clusters/${cluster.id}`, {
      ha: { ...HA, vrrpStrict: true },
    });
    expect(strict.statusCode).toBe(400);
    expect(JSON.stringify(strict.json())).toMatch(/drop every packet to the VIPs/);

    const badId = await req("PATCH", `/api/clusters/${cluster.id}`, {
      ha: { ...HA, virtualRouterId: 300 },
    });
    expect(badId.statusCode).toBe(400);
    expect(JSON.stringify(badId.json())).toMatch(/whole number from 1 to 255/);

    await req("PATCH", `/api/clusters/${cluster.id}`, { ha: HA });
    await req("PUT", `/api/clusters/${cluster.id}/directors`, [first]);
    const other = await pairCluster("other");
    await req("PUT", `/api/clusters/${other.cluster.id}/director`, {
      ...other.first,
      dip: "10.10.0.5",
    });
    const clash = await req("PATCH", `/api/clusters/${other.cluster.id}`, { ha: HA });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().fields["ha.virtualRouterId"]).toMatch(
      /already used by cluster "pair" on the same segment/,
    );
    const elsewhere = await req("PATCH", `/api/clusters/${other.cluster.id}`, {
      ha: { ...HA, virtualRouterId: 52 },
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it("validation names the floating gateway a NAT pair needs", async () => {
    const { cluster, first, second } = await pairCluster();
    await req("PATCH", `/api/clusters/${cluster.id}`, { ha: { virtualRouterId: 51 } });
    await req("PUT", `/api/clusters/${cluster.id}/directors`, [first, second]);
    const svc = (
      await req("POST", `/api/clusters/${cluster.id}/services`, {
        protocol: "tcp",
        vip: "192.168.77.100",
        port: 80,
        scheduler: "rr",
        forwarding: "nat",
      })
    ).json();
    await req("POST", `/api/services/${svc.id}/realservers`, { address: "10.10.0.11", port: 80 });
    const report = (await req("GET", `/api/clusters/${cluster.id}/validation`)).json();
    const issue = report.errors.find((e: { field: string }) => e.field === "ha.floatingGateway");
    expect(issue.message).toMatch(/floating gateway on the realservers' segment/);
  });

  it("switchover: refused without a pair, for another host, and with preemption off", async () => {
    const { cluster, first, second, b } = await pairCluster();
    const single = await req("POST", `/api/clusters/${cluster.id}/switchover`, { hostId: b });
    expect(single.statusCode).toBe(409);
    await req("PATCH", `/api/clusters/${cluster.id}`, { ha: { ...HA, preempt: false } });
    await req("PUT", `/api/clusters/${cluster.id}/directors`, [first, second]);
    const nopreempt = await req("POST", `/api/clusters/${cluster.id}/switchover`, { hostId: b });
    expect(nopreempt.statusCode).toBe(409);
    expect(nopreempt.json().message).toMatch(/preemption is off/);
    await req("PATCH", `/api/clusters/${cluster.id}`, { ha: HA });
    const stranger = await req("POST", `/api/clusters/${cluster.id}/switchover`, {
      hostId: "nope",
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().fields.hostId).toMatch(/not one of this cluster's directors/);
  });
});
