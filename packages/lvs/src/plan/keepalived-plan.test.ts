import { describe, expect, it } from "vitest";
import { IPVSADM_DEFAULTS_FILE, IPVSADM_RULES_FILE } from "../host/state.ts";
import type { ClusterSpec, ServiceSpec } from "../model.ts";
import { emptySummary } from "../plan.ts";
import { renderKeepalivedConf } from "../render/keepalived-conf.ts";
import { parseKeepalivedStatus, renderKeepalivedStatusRead } from "../render/keepalived-load.ts";
import { type ClusterState, stateFromSpec } from "./cluster-state.ts";
import {
  planKeepalived,
  restoreKeepalived,
  underHealthState,
  withKeepalivedStopped,
} from "./keepalived-plan.ts";

const service = (weights: number[], over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  protocol: "tcp",
  vip: "192.168.77.100",
  port: 80,
  scheduler: "rr",
  forwarding: "dr",
  realservers: weights.map((weight, i) => ({
    address: `10.10.0.1${i + 1}`,
    port: 80,
    weight,
    enabled: true,
  })),
  ...over,
});

const spec = (services: ServiceSpec[]): ClusterSpec => ({
  engine: "keepalived",
  director: { dip: "10.10.0.1", interface: "lan0", vipInterface: "wan0" },
  services,
});

/** The cluster as it stands after `applied` was pushed, with keepalived as given. */
function state(
  applied: ClusterSpec,
  keepalived: ClusterState["keepalived"],
  table?: ServiceSpec[],
): ClusterState {
  const s = stateFromSpec(applied);
  return { ...s, services: table ?? s.services, ...(keepalived ? { keepalived } : {}) };
}

const running = (conf: string | null) => ({ pid: 4242, conf, foreignConf: false });
const kinds = (plan: { steps: { op: { kind: string } }[] }) => plan.steps.map((s) => s.op.kind);

describe("planning for keepalived", () => {
  const one = spec([service([1, 1, 1])]);

  it("switching from ipvsadm: the table is made identical first, then keepalived starts over it", () => {
    const ipvsadmCluster: ClusterSpec = { ...one, engine: "ipvsadm" };
    const grown = spec([service([1, 1, 1, 2])]);
    const plan = planKeepalived(state(ipvsadmCluster, undefined), grown);
    const load = plan.steps.find((s) => s.op.kind === "keepalived");
    expect(load?.op).toMatchObject({ action: "start", config: renderKeepalivedConf(grown) });
    // ipvsadm adds the new realserver before keepalived starts (same phase, earlier).
    const order = kinds(plan).filter((k) => k === "ipvsadm" || k === "keepalived");
    expect(order).toEqual(["ipvsadm", "keepalived"]);
    // Boot no longer restores ipvsadm.rules over keepalived's table.
    const files = plan.steps.flatMap((s) => (s.op.kind === "file" ? [s.op] : []));
    expect(files).toContainEqual(
      expect.objectContaining({ action: "write", path: IPVSADM_DEFAULTS_FILE }),
    );
    expect(
      files.find((f) => f.path === IPVSADM_DEFAULTS_FILE && f.action === "write"),
    ).toMatchObject({ content: expect.stringContaining('AUTO="false"') });
    expect(files).toContainEqual({ kind: "file", action: "remove", path: IPVSADM_RULES_FILE });
  });

  it("running with another configuration: one checked reload, and no ipvsadm", () => {
    const reweighted = spec([service([1, 5, 1])]);
    const plan = planKeepalived(state(one, running(renderKeepalivedConf(one))), reweighted);
    expect(kinds(plan)).toEqual(["keepalived"]);
    const [load] = plan.steps;
    expect(load?.op).toMatchObject({ action: "reload" });
    expect(load?.script).toContain("keepalived -t -e -f");
    expect(load?.script).toContain("kill -HUP");
    expect(plan.summary.lines).toContain("reload keepalived with the new configuration");
  });

  it("running with the same configuration and the table it built: nothing to do", () => {
    const conf = renderKeepalivedConf(one);
    expect(planKeepalived(state(one, running(conf)), one).steps).toEqual([]);
    // The read-back may have lost the final newline.
    expect(planKeepalived(state(one, running(conf.trimEnd())), one).steps).toEqual([]);
  });

  it("a realserver keepalived quiesced or removed after failed checks is not drift", () => {
    const conf = renderKeepalivedConf(one);
    const quiesced = service([1, 0, 1]);
    expect(planKeepalived(state(one, running(conf), [quiesced]), one).steps).toEqual([]);
    const removing = spec([service([1, 1, 1], { onFailure: "remove" })]);
    const removed = service([1, 1]);
    const confRemove = renderKeepalivedConf(removing);
    expect(planKeepalived(state(removing, running(confRemove), [removed]), removing).steps).toEqual(
      [],
    );
    // Without a check keepalived never takes a server out: a missing one is drift, put back.
    const unchecked = spec([
      service([1, 1, 1], {
        healthCheck: { type: "none", intervalSeconds: 5, timeoutSeconds: 3, retries: 2 },
      }),
    ]);
    const drift = planKeepalived(
      state(unchecked, running(renderKeepalivedConf(unchecked)), [removed]),
      unchecked,
    );
    expect(kinds(drift)).toEqual(["ipvsadm"]);
  });

  it("never overwrites a keepalived.conf the panel did not write", () => {
    const plan = planKeepalived(state(one, { pid: 7, conf: null, foreignConf: true }), one);
    expect(plan.steps).toEqual([]);
    expect(plan.errors[0]).toMatchObject({ code: "KEEPALIVED_FOREIGN_CONFIG", field: "engine" });
  });
});

describe("underHealthState", () => {
  it("keeps a weight-0 server at 0 only when it was configured above 0 and is checked", () => {
    const desired = [service([3, 2])];
    const live = [service([3, 0])];
    expect(underHealthState(desired, live)[0]?.realservers.map((r) => r.weight)).toEqual([3, 0]);
    const liveUp = [service([3, 2])];
    expect(underHealthState(desired, liveUp)[0]?.realservers.map((r) => r.weight)).toEqual([3, 2]);
  });

  it("expects the sorry server keepalived put in while every realserver is down", () => {
    const desired = [service([1], { sorryServer: { address: "10.10.0.99", port: 80 } })];
    const live = [
      service([0], {
        realservers: [
          { address: "10.10.0.11", port: 80, weight: 0, enabled: true },
          { address: "10.10.0.99", port: 80, weight: 1, enabled: true },
        ],
      }),
    ];
    const expected = underHealthState(desired, live)[0]?.realservers.map((r) => r.address);
    expect(expected).toEqual(["10.10.0.11", "10.10.0.99"]);
  });
});

describe("stopping and restoring keepalived", () => {
  const one = spec([service([1, 1])]);
  const conf = renderKeepalivedConf(one);

  it("back on ipvsadm: the panel's keepalived stops before anything else; the operator's is left", () => {
    const ipvsadm: ClusterSpec = { ...one, engine: "ipvsadm" };
    const base = {
      phases: [],
      steps: [],
      hosts: [],
      summary: emptySummary(),
      warnings: [],
      errors: [],
    };
    const stopped = withKeepalivedStopped(state(ipvsadm, running(conf)), base);
    expect(stopped.steps.map((s) => s.op)).toEqual([{ kind: "keepalived", action: "stop" }]);
    expect(stopped.phases[0]?.phase).toBe("director-remove");
    const foreign = withKeepalivedStopped(
      state(ipvsadm, { pid: 9, conf: null, foreignConf: true }),
      base,
    );
    expect(foreign.steps).toEqual([]);
  });

  it("a rollback puts the previous configuration back; one from before keepalived stops it", () => {
    const changed = spec([service([1, 9])]);
    const after = state(changed, running(renderKeepalivedConf(changed)));
    const back = restoreKeepalived(after, state(one, running(conf)));
    expect(back.steps.map((s) => s.op)).toContainEqual({
      kind: "keepalived",
      action: "reload",
      config: conf,
    });
    const beforeSwitch = state(
      { ...one, engine: "ipvsadm" },
      { pid: null, conf: null, foreignConf: false },
    );
    const undoSwitch = restoreKeepalived(after, beforeSwitch);
    expect(undoSwitch.steps[0]?.op).toEqual({ kind: "keepalived", action: "stop" });
  });
});

describe("the keepalived status read", () => {
  it("parses what the read prints", () => {
    expect(renderKeepalivedStatusRead()).not.toContain("cat /run/keepalived.pid");
    expect(parseKeepalivedStatus("pid=\n")).toEqual({
      pid: null,
      conf: null,
      foreignConf: false,
      text: null,
    });
    expect(
      parseKeepalivedStatus("pid=812\n# Generated by lvs-panel; x\nglobal_defs {\n}\n"),
    ).toEqual({
      pid: 812,
      conf: "# Generated by lvs-panel; x\nglobal_defs {\n}\n",
      foreignConf: false,
      text: "# Generated by lvs-panel; x\nglobal_defs {\n}\n",
    });
    expect(parseKeepalivedStatus("pid=5\n! Configuration File for keepalived\n")).toEqual({
      pid: 5,
      conf: null,
      foreignConf: true,
      text: "! Configuration File for keepalived\n",
    });
    expect(parseKeepalivedStatus(null)).toEqual({
      pid: null,
      conf: null,
      foreignConf: false,
      text: null,
    });
  });
});

describe("a drained removal on keepalived", () => {
  it("weight 0 through a reload, a capped wait for the connections, then the reload that removes", () => {
    const three = spec([service([1, 1, 1])]);
    const two = spec([service([1, 1])]);
    const plan = planKeepalived(state(three, running(renderKeepalivedConf(three))), two, {
      drain: true,
    });
    // (then the cleanup of 10.10.0.13's VIP on lo, and the files, as on the ipvsadm engine)
    expect(plan.phases.map((p) => p.phase).slice(0, 2)).toEqual(["drain", "director-apply"]);
    const [drain, wait] = plan.phases[0]?.steps ?? [];
    expect(drain?.op).toMatchObject({ kind: "keepalived", action: "reload" });
    const drainConfig =
      drain?.op.kind === "keepalived" && "config" in drain.op ? drain.op.config : "";
    // The leaving realserver is still configured, at weight 0; the others keep theirs.
    expect(drainConfig).toMatch(/real_server 10\.10\.0\.13 80 \{\n\s+weight 0\n/);
    expect(drainConfig).toMatch(/real_server 10\.10\.0\.12 80 \{\n\s+weight 1\n/);
    expect(wait?.description).toBe(
      "Wait until 10.10.0.13:80 in TCP 192.168.77.100:80 has no active connection (at most 30 s)",
    );
    expect(wait?.script).toContain("ipvsadm -Ln");
    const last = plan.phases[1]?.steps[0];
    expect(last?.op).toMatchObject({ kind: "keepalived", config: renderKeepalivedConf(two) });
    // Without drain: one reload, no wait.
    const plain = planKeepalived(state(three, running(renderKeepalivedConf(three))), two);
    expect(plain.phases.map((p) => p.phase)[0]).toBe("director-apply");
    expect(plain.steps.some((s) => s.op.kind === "wait")).toBe(false);
  });
});
