// A managed DR realserver dies (its link goes down, so packets to it are silently lost, and the
// panel's pooled connection to it still looks open). Against real sshd hosts (sandboxed):
// - draining it is planned and applied on the director alone, quickly, with a warning;
// - a change that needs it is refused, naming it;
// - removing it goes through; the cleanup due on it is kept pending and listed;
// - once it is back, the next apply runs that cleanup by itself.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiSession } from "../../test/api-session.ts";
import type { TestApp } from "../../test/app-fixture.ts";
import { type AppliedDrCluster, startAppliedDrCluster } from "../../test/dr-cluster.ts";
import type { SandboxHost } from "../../test/sandbox-host.ts";

const CONNECT_TIMEOUT_MS = 3000;
// Loose on purpose: it tells "bounded by the connect timeout" from "stuck until the command
// timeout or keepalives notice" (over a minute before), without timing anything finer.
const ANSWER_BOUND_MS = 3 * CONNECT_TIMEOUT_MS;
const VIP = "10.10.0.200";
const VIP2 = "10.10.0.201";

let lb1: SandboxHost;
let web2: SandboxHost;
let t: TestApp;
let clusterId: string;
let web2RealserverId: string;
let web2Id: string;

const { req, ok, waitForApply } = apiSession(() => t);

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

interface UnreachableView {
  hostName: string;
  address: string;
  reason: string;
  pending: { description: string }[];
  needed: { description: string }[];
}

let dr: AppliedDrCluster | undefined;

beforeAll(async () => {
  dr = await startAppliedDrCluster(VIP, { sshConnectTimeoutMs: CONNECT_TIMEOUT_MS });
  ({ t, lb1, web2, clusterId } = dr);
  web2Id = dr.hostIds.web2;
  web2RealserverId = dr.realserverIds.web2;
  expect(await web2.exec(["ip", "-o", "addr", "show", "dev", "lo"])).toContain(`${VIP}/32`);
  // The panel now holds open connections to every host; web2 dies under them.
  await web2.setLink(false);
}, 90_000);

afterAll(async () => dr?.stop());

describe("a dead realserver", () => {
  it("disabling it needs only the director: planned and applied at once; enabling it too", async () => {
    // Disabled is weight 0 on the director; nothing of it lives on the realserver (its VIP on lo
    // stays for when it is enabled), so the dead host is not waited for. Enabled again, it is
    // back at its weight, which the drain below starts from.
    for (const [enabled, weight] of [
      [false, 0],
      [true, 1],
    ] as const) {
      await ok("PATCH", `/api/realservers/${web2RealserverId}`, { enabled });
      const { value: plan, ms: planMs } = await timed(() =>
        ok("POST", `/api/clusters/${clusterId}/plan`),
      );
      expect(planMs).toBeLessThan(ANSWER_BOUND_MS);
      expect(plan.errors).toEqual([]);
      expect(plan.hosts.map((h: { hostName: string }) => h.hostName)).toEqual(["lb1"]);
      expect(plan.unreachable).toHaveLength(1);
      expect(plan.unreachable[0]).toMatchObject({ hostName: "web2", pending: [], needed: [] });

      const { value: started, ms: startMs } = await timed(() =>
        req("POST", `/api/clusters/${clusterId}/apply`, { planHash: plan.hash }),
      );
      expect(started.statusCode, started.body).toBe(202);
      expect(startMs).toBeLessThan(ANSWER_BOUND_MS);
      const apply = await waitForApply(started.json().applyId);
      expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
      const rs = lb1.ipvs()[0]?.realservers.find((r) => r.address === "10.10.0.12");
      expect(rs?.weight, `enabled: ${enabled}`).toBe(weight);
    }
  });

  it("draining it needs only the director: planned and applied at once, with a warning", async () => {
    await ok("PATCH", `/api/realservers/${web2RealserverId}`, { draining: true });
    const { value: plan, ms: planMs } = await timed(() =>
      ok("POST", `/api/clusters/${clusterId}/plan`),
    );
    expect(planMs).toBeLessThan(ANSWER_BOUND_MS);
    expect(plan.errors).toEqual([]);
    expect(plan.hosts.map((h: { hostName: string }) => h.hostName)).toEqual(["lb1"]);
    const [dead] = plan.unreachable as UnreachableView[];
    expect(plan.unreachable).toHaveLength(1);
    expect(dead).toMatchObject({
      hostName: "web2",
      address: "10.10.0.12",
      pending: [],
      needed: [],
    });
    expect(dead?.reason).toContain(web2.address);
    expect(plan.warnings).toContainEqual(
      expect.objectContaining({
        code: "HOST_UNREACHABLE",
        message: expect.stringMatching(/^web2 \(10\.10\.0\.12\) cannot be reached: .*Nothing/),
      }),
    );

    const { value: started, ms: startMs } = await timed(() =>
      req("POST", `/api/clusters/${clusterId}/apply`, { planHash: plan.hash }),
    );
    expect(started.statusCode, started.body).toBe(202);
    expect(startMs).toBeLessThan(ANSWER_BOUND_MS);
    const apply = await waitForApply(started.json().applyId);
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
    const rs = lb1.ipvs()[0]?.realservers.find((r) => r.address === "10.10.0.12");
    expect(rs?.weight).toBe(0);
  });

  it("a change that needs it is refused, naming it and what it needs there", async () => {
    const second = (
      await ok("POST", `/api/clusters/${clusterId}/services`, {
        protocol: "tcp",
        vip: VIP2,
        port: 80,
        scheduler: "rr",
        forwarding: "dr",
      })
    ).id;
    await ok("POST", `/api/services/${second}/realservers`, {
      address: "10.10.0.12",
      port: 80,
      hostId: web2Id,
    });
    try {
      const plan = await ok("POST", `/api/clusters/${clusterId}/plan`);
      const [dead] = plan.unreachable as UnreachableView[];
      expect(dead?.needed.map((s) => s.description)).toContain(`Add ${VIP2}/32 on lo`);
      expect(plan.errors).toContainEqual(
        expect.objectContaining({
          code: "HOST_UNREACHABLE",
          message: expect.stringContaining("web2 (10.10.0.12) cannot be reached"),
        }),
      );
      const tableBefore = JSON.stringify(lb1.ipvs());
      const { value: refused, ms } = await timed(() =>
        req("POST", `/api/clusters/${clusterId}/apply`, { planHash: plan.hash }),
      );
      expect(ms).toBeLessThan(ANSWER_BOUND_MS);
      expect(refused.statusCode, refused.body).toBe(504);
      expect(refused.json().message).toMatch(
        new RegExp(
          `^web2 \\(10\\.10\\.0\\.12\\) cannot be reached .*this change needs it: .*${VIP2}`,
        ),
      );
      expect(JSON.stringify(lb1.ipvs())).toBe(tableBefore);
    } finally {
      expect((await req("DELETE", `/api/services/${second}`)).statusCode).toBe(204);
    }
  });

  it("removing it goes through; the cleanup due on it is kept pending and shown", async () => {
    expect((await req("DELETE", `/api/realservers/${web2RealserverId}`)).statusCode).toBe(204);
    const plan = await ok("POST", `/api/clusters/${clusterId}/plan`);
    expect(plan.errors).toEqual([]);
    const [dead] = plan.unreachable as UnreachableView[];
    const pending = dead?.pending.map((s) => s.description) ?? [];
    expect(pending).toContain(`Remove ${VIP}/32 from lo`);
    expect(dead?.needed).toEqual([]);
    const apply = await waitForApply(
      (await ok("POST", `/api/clusters/${clusterId}/apply`, { planHash: plan.hash })).applyId,
    );
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
    expect(lb1.ipvs()[0]?.realservers.map((r) => r.address)).toEqual(["10.10.0.11"]);

    const listed = await ok("GET", `/api/clusters/${clusterId}/pending-host-steps`);
    expect(listed.hosts).toHaveLength(1);
    expect(listed.hosts[0]).toMatchObject({ hostName: "web2", address: "10.10.0.12" });
    expect(listed.hosts[0].steps.map((s: { description: string }) => s.description)).toEqual(
      pending,
    );
    const overview = await ok("GET", "/api/overview");
    const row = overview.find((c: { id: string }) => c.id === clusterId);
    expect(row.pendingHostSteps).toBe(pending.length);
    expect(row.pendingChanges).toBe(true);

    // Still away: the next plan keeps the same steps pending (nothing was done on it).
    const again = await ok("POST", `/api/clusters/${clusterId}/plan`);
    expect(again.unreachable[0].pending.map((s: { description: string }) => s.description)).toEqual(
      pending,
    );
  });

  it("once it is back, the next apply runs the pending cleanup by itself", async () => {
    await web2.setLink(true);
    const plan = await ok("POST", `/api/clusters/${clusterId}/plan`);
    expect(plan.unreachable).toEqual([]);
    const steps = plan.hosts.find((h: { hostName: string }) => h.hostName === "web2")?.steps ?? [];
    expect(steps.map((s: { description: string }) => s.description)).toContain(
      `Remove ${VIP}/32 from lo`,
    );
    const apply = await waitForApply(
      (await ok("POST", `/api/clusters/${clusterId}/apply`, { planHash: plan.hash })).applyId,
    );
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
    expect(await web2.exec(["ip", "-o", "addr", "show", "dev", "lo"])).not.toContain(VIP);
    expect((await web2.exec(["sysctl", "-n", "net.ipv4.conf.all.arp_ignore"])).trim()).toBe("0");
    expect(web2.etcFile("lvs-panel/addresses.sh")).toBeNull();
    expect((await ok("GET", `/api/clusters/${clusterId}/pending-host-steps`)).hosts).toEqual([]);
    const row = (await ok("GET", "/api/overview")).find((c: { id: string }) => c.id === clusterId);
    expect(row.pendingHostSteps).toBe(0);
    expect(row.pendingChanges).toBe(false);
  });
});
