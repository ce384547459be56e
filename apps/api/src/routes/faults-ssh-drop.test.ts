// SSH dropping mid-apply, against real sshd hosts (sandboxed, ipvsadm faked: see
// test/sandbox-host.ts). The director's ipvsadm step is held while the realservers and the director
// are already prepared; then the director's SSH sessions are killed (the listener stays), or its
// sshd goes away entirely. Every host is read back directly from the sandbox, not through the panel.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiSession } from "../../test/api-session.ts";
import type { TestApp } from "../../test/app-fixture.ts";
import { type AppliedDrCluster, startAppliedDrCluster } from "../../test/dr-cluster.ts";
import type { SandboxHost } from "../../test/sandbox-host.ts";

let lb1: SandboxHost;
let web1: SandboxHost;
let web2: SandboxHost;
let t: TestApp;
let clusterId: string;
let serviceId: string;

const VIP = "10.10.0.200";
/** The director's ipvsadm -R line that switches web1 to NAT: held so the test acts mid-apply. */
const DIRECTOR_NAT_EDIT = `-r 10.10.0.11:80 -m`;

const { ok, waitForApply } = apiSession(() => t);

const MANAGED_SYSCTLS = [
  "net.ipv4.ip_forward",
  "net.ipv4.conf.all.arp_ignore",
  "net.ipv4.conf.all.arp_announce",
  "net.ipv4.conf.lo.arp_ignore",
  "net.ipv4.conf.lo.arp_announce",
];
const MANAGED_FILES = [
  "sysctl.d/90-lvs-panel.conf",
  "ipvsadm.rules",
  "default/ipvsadm",
  "lvs-panel/addresses.sh",
  "systemd/system/lvs-panel-addresses.service",
];

/** Everything the panel may change on a host, read inside its sandbox. */
async function readBack(h: SandboxHost) {
  return {
    ipvs: h.ipvs(),
    addresses: await h.exec(["ip", "-o", "addr", "show"]),
    rules: await h.exec(["ip", "-4", "rule", "show"]),
    routes: await h.exec(["ip", "-4", "route", "show", "table", "all"]),
    sysctls: await h.exec(["sysctl", ...MANAGED_SYSCTLS]),
    files: Object.fromEntries(MANAGED_FILES.map((f) => [f, h.etcFile(f)])),
  };
}

const readAll = () => Promise.all([lb1, web1, web2].map(readBack));

interface StepView {
  id: string;
  phase: string;
  description: string;
}
interface PlanView {
  hash: string;
  hosts: { hostName: string; steps: StepView[] }[];
}

/** "host | phase | description" for every step, in plan order. */
function stepList(plan: PlanView): string[] {
  return plan.hosts.flatMap((h) =>
    h.steps.map((s) => `${h.hostName} | ${s.phase} | ${s.description}`),
  );
}

/**
 * Whether a step's effect is already on its host, judged from the sandbox itself (not the panel's
 * reader), for the steps the NAT switch consists of. Unknown steps fail the test loudly.
 */
async function alreadyDone(
  hostName: string,
  step: StepView,
  before: Awaited<ReturnType<typeof readBack>>,
): Promise<boolean> {
  const h = [lb1, web1, web2].find((x) => x.name === hostName) as SandboxHost;
  const d = step.description;
  let m = /^Set (\S+)=(\S+)$/.exec(d);
  if (m) return (await h.exec(["sysctl", "-n", m[1] as string])).trim() === m[2];
  m = /^Route replies via (\S+) in table (\d+)$/.exec(d);
  if (m) {
    const routes = await h.exec(["ip", "-4", "route", "show", "table", m[2] as string]);
    return routes.includes(`default via ${m[1]}`);
  }
  m = /^Send tcp replies from (\S+):(\d+) via table (\d+)$/.exec(d);
  if (m) {
    const rules = await h.exec(["ip", "-4", "rule", "show"]);
    return rules.includes(`from ${m[1]} ipproto tcp sport ${m[2]} lookup ${m[3]}`);
  }
  m = /^Change realserver (\S+):(\d+) of TCP (\S+):(\d+)$/.exec(d);
  if (m) {
    const service = h.ipvs().find((s) => s.vip === m?.[3] && String(s.port) === m?.[4]);
    const rs = service?.realservers.find((r) => r.address === m?.[1]);
    return (rs?.forwarding ?? service?.forwarding) === "nat";
  }
  m = /^Remove (\S+) from lo$/.exec(d);
  if (m) return !(await h.exec(["ip", "-o", "addr", "show", "dev", "lo"])).includes(m[1] as string);
  m = /^(Write|Remove) \/etc\/(\S+)$/.exec(d);
  if (m) return h.etcFile(m[2] as string) !== before.files[m[2] as string]; // persist ran
  throw new Error(`no independent check for step "${d}" on ${hostName}`);
}

let dr: AppliedDrCluster | undefined;

beforeAll(async () => {
  dr = await startAppliedDrCluster(VIP);
  ({ t, lb1, web1, web2, clusterId, serviceId } = dr);
  // The change every test below tries to apply: DR → NAT, which touches all three hosts.
  await ok("PATCH", `/api/services/${serviceId}`, { forwarding: "nat" });
}, 60_000);

afterAll(async () => dr?.stop());

describe("SSH drops mid-apply", () => {
  it("the director's sessions are killed (sshd still listening): every host goes back to its snapshot", async () => {
    const preview: PlanView = await ok("POST", `/api/clusters/${clusterId}/plan`, {});
    // The switch changes every host before the director's step that is about to be cut off.
    expect(stepList(preview)).toEqual(
      expect.arrayContaining([
        "lb1 | prepare | Set net.ipv4.ip_forward=1",
        "web1 | prepare | Send tcp replies from 10.10.0.11:80 via table 4100",
        "web2 | prepare | Send tcp replies from 10.10.0.12:80 via table 4100",
        `lb1 | director-apply | Change realserver 10.10.0.11:80 of TCP ${VIP}:80`,
      ]),
    );
    const before = await readAll();

    const hold = lb1.holdIpvsadmOn(DIRECTOR_NAT_EDIT);
    let apply: {
      status: string;
      error: string;
      events: { stage: string; status: string; hostName?: string; command?: string }[];
    };
    try {
      const { applyId } = await ok("POST", `/api/clusters/${clusterId}/apply`, {
        planHash: preview.hash,
      });
      await hold.reached();
      // Mid-apply for real: the prepare phase has changed the hosts.
      expect((await lb1.exec(["sysctl", "-n", "net.ipv4.ip_forward"])).trim()).toBe("1");
      expect(await web1.exec(["ip", "-4", "rule", "show"])).toContain("lookup 4100");
      await lb1.dropSessions();
      apply = await waitForApply(applyId);
    } finally {
      hold.release();
    }

    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("rolled_back");
    // The failing host and phase are named.
    expect(apply.error).toContain("lb1 (director-apply)");
    expect(apply.error).toContain(lb1.address);
    // The rollback reconnected to the same director and undid its prepare step there.
    expect(
      apply.events.some(
        (e) =>
          e.stage === "rollback" &&
          e.status === "ok" &&
          e.hostName === "lb1" &&
          e.command?.includes("net.ipv4.ip_forward=0"),
      ),
    ).toBe(true);
    // Every host, read back from the sandbox: exactly as before the apply.
    expect(await readAll()).toEqual(before);
    // And nothing is lost: the same plan is still pending.
    const again: PlanView = await ok("POST", `/api/clusters/${clusterId}/plan`, {});
    expect(stepList(again)).toEqual(stepList(preview));
    expect(again.hash).toBe(preview.hash);
  });

  it("the step in flight when the connection dropped is reported as failed, not not-run", async () => {
    const hold = lb1.holdIpvsadmOn(DIRECTOR_NAT_EDIT);
    let apply: {
      status: string;
      hosts: {
        hostName: string;
        steps: { phase: string; status: string; description: string }[];
      }[];
    };
    try {
      const { applyId } = await ok("POST", `/api/clusters/${clusterId}/apply`, {});
      await hold.reached();
      await lb1.dropSessions();
      apply = await waitForApply(applyId);
    } finally {
      hold.release();
    }
    expect(apply.status).toBe("rolled_back");
    const inFlight = apply.hosts
      .find((h) => h.hostName === "lb1")
      ?.steps.filter((s) => s.phase === "director-apply")
      .map((s) => `${s.description}: ${s.status}`);
    expect(inFlight).toEqual([
      `Change realserver 10.10.0.11:80 of TCP ${VIP}:80: failed`,
      `Change realserver 10.10.0.12:80 of TCP ${VIP}:80: failed`,
    ]);
  });

  it("with the director down for good, the realservers are still restored to their snapshot", async () => {
    const before = await readAll();
    const hold = lb1.holdIpvsadmOn(DIRECTOR_NAT_EDIT);
    let apply: { status: string; events: { stage: string; status: string; message: string }[] };
    let after: Awaited<ReturnType<typeof readAll>>;
    try {
      const { applyId } = await ok("POST", `/api/clusters/${clusterId}/apply`, {});
      await hold.reached();
      await lb1.stopSshd();
      apply = await waitForApply(applyId);
      after = await readAll();
    } finally {
      hold.release();
      await lb1.startSshd();
    }
    // The director could not be restored: the apply failed, and says which hosts were restored.
    expect(apply.status).toBe("failed");
    const outcome = apply.events.filter((e) => e.stage === "rollback" && e.status === "failed");
    expect(outcome.map((e) => e.message).join("\n")).toMatch(
      /lb1: cannot be read.*restored: web1, web2|lb1: cannot be read.*restored: web2, web1/,
    );
    // The realservers are exactly as before; the director keeps what ran before it went down.
    expect(after.slice(1)).toEqual(before.slice(1));
  });

  it("the director goes down (listener gone too): the apply fails naming it, and once it is back the plan shows exactly what differs", async () => {
    const preview: PlanView = await ok("POST", `/api/clusters/${clusterId}/plan`, {});
    const before = await readAll();

    const hold = lb1.holdIpvsadmOn(DIRECTOR_NAT_EDIT);
    let down = false;
    let apply: { status: string; error: string; events: { stage: string; message: string }[] };
    try {
      const { applyId } = await ok("POST", `/api/clusters/${clusterId}/apply`, {
        planHash: preview.hash,
      });
      await hold.reached();
      await lb1.stopSshd(); // every session and the listener: connections are refused
      down = true;
      apply = await waitForApply(applyId);
    } finally {
      hold.release();
      if (down) await lb1.startSshd();
    }

    expect(["failed", "rolled_back"], JSON.stringify(apply.events, null, 1)).toContain(
      apply.status,
    );
    expect(apply.error).toContain("lb1 (director-apply)");
    expect(apply.error).toContain(lb1.address);
    const rollback = apply.events.filter((e) => e.stage === "rollback").map((e) => e.message);
    expect(rollback.join("\n")).toContain(lb1.address);

    // The director is back: the plan lists exactly the steps whose effect is not on the hosts,
    // judged host by host from the sandboxes.
    const next: PlanView = await ok("POST", `/api/clusters/${clusterId}/plan`, {});
    const expected: string[] = [];
    for (const h of preview.hosts) {
      const hostBefore = before[[lb1, web1, web2].findIndex((x) => x.name === h.hostName)];
      for (const s of h.steps) {
        if (!(await alreadyDone(h.hostName, s, hostBefore as (typeof before)[number]))) {
          expected.push(`${h.hostName} | ${s.phase} | ${s.description}`);
        }
      }
    }
    expect(stepList(next)).toEqual(expected);
    // The director's part never ran: its IPVS table is still DR, so that edit is still planned.
    expect(expected).toContain(
      `lb1 | director-apply | Change realserver 10.10.0.11:80 of TCP ${VIP}:80`,
    );

    // And applying that plan brings every host to the desired state.
    const done = await waitForApply(
      (await ok("POST", `/api/clusters/${clusterId}/apply`, { planHash: next.hash })).applyId,
    );
    expect(done.status, JSON.stringify(done.events, null, 1)).toBe("succeeded");
    const table = lb1.ipvs()[0];
    expect(table?.realservers.map((r) => r.forwarding ?? table.forwarding)).toEqual(["nat", "nat"]);
    expect((await ok("POST", `/api/clusters/${clusterId}/plan`, {})).empty).toBe(true);
  });

  it("a VIP added in prepare for a new service is removed by the rollback when the drop comes before ipvsadm -A", async () => {
    const svc = await ok("POST", `/api/clusters/${clusterId}/services`, {
      protocol: "tcp",
      vip: "10.10.0.201",
      port: 8080,
      scheduler: "wlc",
      forwarding: "nat",
    });
    await ok("POST", `/api/services/${svc.id}/realservers`, { address: "10.10.0.11", port: 8080 });
    await ok("PATCH", `/api/services/${serviceId}`, { forwarding: "dr" });
    const before = await readAll();
    const hold = lb1.holdIpvsadmOn("-A -t 10.10.0.201:8080");
    let apply: { status: string; events: unknown[] };
    try {
      const { applyId } = await ok("POST", `/api/clusters/${clusterId}/apply`, {});
      await hold.reached();
      await lb1.dropSessions();
      apply = await waitForApply(applyId);
    } finally {
      hold.release();
    }
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("rolled_back");
    expect(await lb1.exec(["ip", "-o", "addr", "show", "dev", "lan0"])).not.toContain(
      "10.10.0.201/32",
    );
    expect(await readAll()).toEqual(before);
  });
});
