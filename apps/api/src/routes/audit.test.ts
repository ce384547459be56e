// The audit log as an operator reads it: narrowed by cluster (its services and realservers too,
// deleted ones included), by user and by action, and an apply's entries carrying the apply and
// its outcome now, not "new". The applies are recorded by the apply store itself.
import type { PlanView } from "@lvs-panel/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { ApplyChannels } from "../services/apply/apply-events.ts";
import { createApplyStore } from "../services/apply/apply-store.ts";
import type { AppliedDesired } from "../services/apply/context.ts";
import type { SessionUser } from "../services/auth-service.ts";

let t: TestApp;
let operator: string;
let clusterA: string;
let clusterB: string;
let finished: string;
let running: string;

interface Entry {
  action: string;
  username: string;
  entityType: string;
  entityId: string | null;
  apply: { id: string; clusterId: string; status: string } | null;
}

async function req(cookie: string, method: "GET" | "POST" | "DELETE", url: string, body?: object) {
  const res = await t.app.inject({
    method,
    url,
    headers: { cookie },
    ...(body ? { payload: body } : {}),
  });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.statusCode === 204 ? null : res.json();
}

const audit = async (query: string) =>
  (await req(t.cookie, "GET", `/api/audit?${query}`)) as Entry[];
const actions = (entries: Entry[]) => entries.map((e) => e.action).sort();

beforeAll(async () => {
  t = await startTestApp();
  clusterA = (await req(t.cookie, "POST", "/api/clusters", { name: "edge" })).id;
  clusterB = (await req(t.cookie, "POST", "/api/clusters", { name: "db" })).id;
  await req(t.cookie, "POST", "/api/users", {
    username: "operator1",
    password: "password-123",
    role: "operator",
  });
  operator = await login(t.app, "operator1", "password-123");
  const service = { protocol: "tcp", port: 80, scheduler: "rr", forwarding: "nat" };
  const web = await req(operator, "POST", `/api/clusters/${clusterA}/services`, {
    ...service,
    vip: "192.168.77.100",
  });
  await req(operator, "POST", `/api/services/${web.id}/realservers`, {
    address: "10.10.0.11",
    port: 80,
  });
  const gone = await req(operator, "POST", `/api/clusters/${clusterA}/services`, {
    ...service,
    vip: "192.168.77.101",
  });
  await req(operator, "DELETE", `/api/services/${gone.id}`);
  await req(t.cookie, "POST", `/api/clusters/${clusterB}/services`, {
    ...service,
    vip: "192.168.78.100",
  });

  // Two applies of edge, as the apply service records them: one rolled back, one still running.
  const store = createApplyStore(t.app.db, new ApplyChannels());
  const admin = (await req(t.cookie, "GET", "/api/auth/status")).user as SessionUser;
  const view = { summary: { lines: ["add service TCP 192.168.77.100:80"] } } as PlanView;
  const desired = { spec: {}, realserverHosts: {} } as unknown as AppliedDesired;
  finished = await store.begin(admin, clusterA, view, desired, "test");
  await store.finish(admin, clusterA, finished, {
    status: "rolled_back",
    error: "step 3 failed",
    events: [],
  });
  running = await store.begin(admin, clusterA, view, desired, "test");
});
afterAll(async () => t?.close());

describe("GET /api/audit", () => {
  it("an apply's entries carry the apply and how it ended", async () => {
    const entries = await audit("action=apply");
    expect(actions(entries)).toEqual(["apply.finish", "apply.start", "apply.start"]);
    const byApply = (id: string, action: string) =>
      entries.find((e) => e.apply?.id === id && e.action === action);
    expect(byApply(finished, "apply.start")?.apply).toEqual({
      id: finished,
      clusterId: clusterA,
      status: "rolled_back",
    });
    expect(byApply(finished, "apply.finish")?.apply?.status).toBe("rolled_back");
    expect(byApply(running, "apply.start")?.apply?.status).toBe("running");
    const others = await audit("action=cluster");
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((e) => e.apply === null)).toBe(true);
  });

  it("narrows to a cluster: its own entries, its applies, its services and realservers", async () => {
    expect(actions(await audit(`clusterId=${clusterA}`))).toEqual([
      "apply.finish",
      "apply.start",
      "apply.start",
      "cluster.create",
      "realserver.create",
      "service.create",
      "service.create",
      "service.delete",
    ]);
    expect(actions(await audit(`clusterId=${clusterB}`))).toEqual([
      "cluster.create",
      "service.create",
    ]);
    expect(await audit("clusterId=no-such-cluster")).toEqual([]);
  });

  it("narrows to a user and to an action or a kind of action, together too", async () => {
    const mine = await audit("user=operator1");
    expect(actions(mine)).toEqual([
      "realserver.create",
      "service.create",
      "service.create",
      "service.delete",
    ]);
    expect(actions(await audit("action=service.create"))).toEqual([
      "service.create",
      "service.create",
      "service.create",
    ]);
    expect(actions(await audit(`clusterId=${clusterA}&user=admin&action=apply.start`))).toEqual([
      "apply.start",
      "apply.start",
    ]);
    expect(await audit(`clusterId=${clusterB}&action=apply`)).toEqual([]);
    // The older filters still work beside them.
    expect(actions(await audit(`entityId=${clusterB}`))).toEqual(["cluster.create"]);
    expect(await audit("limit=2")).toHaveLength(2);
  });

  it("refuses an action that is not one, in plain words", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/audit?action=Apply!",
      headers: { cookie: t.cookie },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual({
      action: 'must be an action such as "apply.start", or its first part such as "apply"',
    });
  });
});
