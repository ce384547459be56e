// A small change (one weight, a drain) on a director that also carries a service the panel does
// not own, against real sshd hosts (sandboxed; ipvsadm faked, see test/sandbox-host.ts). The
// apply of a previewed small change starts from the preview's reading: one round trip checks the
// director's generation, then the runtime steps with a read-back of the touched service only, then
// the persist. Counted in scripts sent, not in time (the timing is apps/api/bench/small-change.ts).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ClusterState, ServiceSpec } from "@lvs-panel/lvs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiSession } from "../../test/api-session.ts";
import { type AppliedDrCluster, startAppliedDrCluster } from "../../test/dr-cluster.ts";

const VIP = "10.10.0.200";
let c: AppliedDrCluster;
const session = apiSession(() => c.t);
const { req, ok, waitForApply } = session;

/** A service nobody in the panel owns, written into the director's table behind its back. */
const foreign: ServiceSpec = {
  protocol: "tcp",
  vip: "10.10.0.210",
  port: 8080,
  scheduler: "wrr",
  forwarding: "dr",
  realservers: [{ address: "10.10.0.13", port: 8080, weight: 3, enabled: true }],
};

const stateFile = () => path.join(c.lb1.dir, "ipvs.json");
function editTable(edit: (services: ServiceSpec[]) => ServiceSpec[]) {
  const state = JSON.parse(readFileSync(stateFile(), "utf8")) as ClusterState;
  writeFileSync(stateFile(), JSON.stringify({ ...state, services: edit(state.services) }));
}
const serviceAt = (vip: string) => c.lb1.ipvs().find((s) => s.vip === vip);

/** Every script sent over SSH from now on, by host name, and whether by exec or on a shell. */
function captureScripts() {
  const byAddress = new Map([c.lb1, c.web1, c.web2].map((h) => [h.address, h.name]));
  const sent: { host: string; script: string; via: "exec" | "shell" }[] = [];
  const ssh = c.t.app.ssh;
  const run = ssh.run.bind(ssh);
  const sessionOf = ssh.session.bind(ssh);
  ssh.run = (target, cmd, o) => {
    if ("script" in cmd)
      sent.push({ host: byAddress.get(target.address) ?? "?", script: cmd.script, via: "exec" });
    return run(target, cmd, o);
  };
  ssh.session = (target) => {
    const s = sessionOf(target);
    return {
      ...s,
      run: (cmd, o) => {
        if ("script" in cmd)
          sent.push({
            host: byAddress.get(target.address) ?? "?",
            script: cmd.script,
            via: "shell",
          });
        return s.run(cmd, o);
      },
    };
  };
  return sent;
}

const changing = (script: string) => script.includes("@@lvs-panel begin");

beforeAll(async () => {
  c = await startAppliedDrCluster(VIP);
  editTable((services) => [...services, foreign]);
}, 60_000);

afterAll(async () => {
  await c?.stop();
});

describe("a small change on the director's table", () => {
  let sent: ReturnType<typeof captureScripts>;

  it("applies a previewed weight change in three round trips on the director alone", async () => {
    // Captured before the preview: the preview opens the director's shell the apply then uses.
    sent = captureScripts();
    await ok("PATCH", `/api/realservers/${c.realserverIds.web1}`, { weight: 5 });
    const view = await ok("POST", `/api/clusters/${c.clusterId}/plan`, {});
    expect(view.hosts.map((h: { hostName: string }) => h.hostName)).toEqual(["lb1"]);
    const shown: string[] = view.hosts[0].scripts.map((s: { script: string }) => s.script);
    // The runtime read-back lists the touched service alone; nothing reads the whole table.
    expect(shown[0]).toContain(`ipvsadm -Ln -t ${VIP}:80`);
    expect(shown.join("\n")).not.toContain("ipvsadm -S");
    sent.length = 0;

    const apply = await waitForApply(
      (await ok("POST", `/api/clusters/${c.clusterId}/apply`, { planHash: view.hash })).applyId,
    );
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
    // The director only, on the shell the preview opened: the generation check, then what the
    // preview showed, byte for byte. The realservers are not read at all.
    expect(sent.map((s) => `${s.host}/${s.via}`)).toEqual(["lb1/shell", "lb1/shell", "lb1/shell"]);
    expect(sent[0]?.script).toContain("sha256sum -c");
    expect(changing(sent[0]?.script ?? "")).toBe(false);
    expect(sent.slice(1).map((s) => s.script)).toEqual(shown);
    const stages = apply.events.map((e: { stage: string }) => e.stage);
    expect([...new Set(stages)]).toEqual([
      "preflight",
      "snapshot",
      "apply",
      "verify",
      "persist",
      "done",
    ]);
    expect(stages.filter((s: string) => s === "verify")).toHaveLength(2);
    expect(apply.events.find((e: { stage: string }) => e.stage === "snapshot").message).toMatch(
      /generation checked/,
    );

    expect(serviceAt(VIP)?.realservers.find((r) => r.address === "10.10.0.11")?.weight).toBe(5);
    expect(serviceAt("10.10.0.210")).toEqual(foreign);
    const rules = c.lb1.etcFile("ipvsadm.rules") ?? "";
    expect(rules).toContain(`-a -t ${VIP}:80 -r 10.10.0.11:80 -g -w 5`);
    expect(rules).toContain("-a -t 10.10.0.210:8080 -r 10.10.0.13:8080 -g -w 3");
    expect((await ok("POST", `/api/clusters/${c.clusterId}/plan`, {})).empty).toBe(true);
  });

  it("without a preview, reads every host as before and still runs the small change's scripts", async () => {
    await ok("PATCH", `/api/realservers/${c.realserverIds.web2}`, { draining: true });
    const view = await ok("POST", `/api/clusters/${c.clusterId}/plan`, {});
    const shown: string[] = view.hosts[0].scripts.map((s: { script: string }) => s.script);
    sent.length = 0;
    const apply = await session.applyAndWait(c.clusterId, {});
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
    // One full read per host (the snapshot), then the director's two scripts as previewed.
    expect(
      sent
        .filter((s) => !changing(s.script))
        .map((s) => s.host)
        .sort(),
    ).toEqual(["lb1", "web1", "web2"]);
    expect(sent.filter((s) => changing(s.script)).map((s) => s.script)).toEqual(shown);
    expect(serviceAt(VIP)?.realservers.find((r) => r.address === "10.10.0.12")?.weight).toBe(0);
    expect(serviceAt("10.10.0.210")).toEqual(foreign);
  });

  it("refuses as stale (409) when the table or the rules file changed by hand after the preview", async () => {
    await ok("PATCH", `/api/realservers/${c.realserverIds.web2}`, { draining: false });
    const view = await ok("POST", `/api/clusters/${c.clusterId}/plan`, {});
    const before = JSON.stringify(serviceAt(VIP));
    // Someone edits the foreign service: none of the plan's steps is about it.
    editTable((services) =>
      services.map((s) =>
        s.vip === foreign.vip
          ? { ...s, realservers: s.realservers.map((r) => ({ ...r, weight: 4 })) }
          : s,
      ),
    );
    sent.length = 0;
    const res = await req("POST", `/api/clusters/${c.clusterId}/apply`, { planHash: view.hash });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().fields).toEqual({ planHash: "stale" });
    expect(res.json().message).toMatch(/the director changed since the preview \(the IPVS table\)/);
    // One round trip, the check; nothing changed.
    expect(sent.map((s) => changing(s.script))).toEqual([false]);
    expect(JSON.stringify(serviceAt(VIP))).toBe(before);

    // The new preview sees the hand edit (in the rules file it writes) and applies.
    const fresh = await ok("POST", `/api/clusters/${c.clusterId}/plan`, {});
    expect(fresh.hash).not.toBe(view.hash);
    const rulesPath = path.join(c.lb1.dir, "etc", "ipvsadm.rules");
    writeFileSync(rulesPath, `${readFileSync(rulesPath, "utf8")}# edited by hand\n`);
    const stale = await req("POST", `/api/clusters/${c.clusterId}/apply`, { planHash: fresh.hash });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json().message).toMatch(/\(\/etc\/ipvsadm\.rules\)/);

    const again = await ok("POST", `/api/clusters/${c.clusterId}/plan`, {});
    const apply = await session.applyAndWait(c.clusterId, { planHash: again.hash });
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
    expect(serviceAt("10.10.0.210")?.realservers[0]?.weight).toBe(4);
    expect(c.lb1.etcFile("ipvsadm.rules")).toContain("-r 10.10.0.13:8080 -g -w 4");
  });

  it("rolls a failing small change back, leaving the foreign service and the rules file as they were", async () => {
    await ok("PATCH", `/api/realservers/${c.realserverIds.web1}`, { weight: 7 });
    await ok("PATCH", `/api/realservers/${c.realserverIds.web2}`, { weight: 9 });
    const view = await ok("POST", `/api/clusters/${c.clusterId}/plan`, {});
    const table = JSON.stringify(c.lb1.ipvs());
    const rules = c.lb1.etcFile("ipvsadm.rules");
    // The second of the two edits fails, after the first was made.
    c.lb1.failIpvsadmOn("-r 10.10.0.12:80 -g -w 9");
    try {
      const apply = await session.applyAndWait(c.clusterId, { planHash: view.hash });
      expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("rolled_back");
      expect(apply.error).toMatch(/simulated failure/);
      expect(JSON.stringify(c.lb1.ipvs())).toBe(table);
      expect(c.lb1.etcFile("ipvsadm.rules")).toBe(rules);
      expect(serviceAt("10.10.0.210")?.realservers[0]?.weight).toBe(4);
    } finally {
      c.lb1.failIpvsadmOn(null);
    }
    const again = await ok("POST", `/api/clusters/${c.clusterId}/plan`, {});
    const apply = await session.applyAndWait(c.clusterId, { planHash: again.hash });
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
  });
});
