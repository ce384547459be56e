import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyClusterSpec as clusterSpec } from "../test/arbitraries.ts";
import { canonicalState } from "../test/compare.ts";
import { lexShell, SHELL_ACTIVE } from "../test/shell-lexer.ts";
import { emptyHostState } from "./host/state.ts";
import { servicesFromListing } from "./live.ts";
import { normalizeServices } from "./normalize.ts";
import { parseIpvsadmSave } from "./parse/save.ts";
import { applyPlanToState } from "./plan/apply.ts";
import { stateFromSpec } from "./plan/cluster-state.ts";
import { planCluster, planTransition } from "./plan.ts";
import { renderIpvsadmRestore } from "./render/ipvsadm.ts";
import { argvToShell } from "./render/shell-quote.ts";
import { validateCluster } from "./validate.ts";

const runs = { numRuns: 150 };
const RS_DEFAULTS: Record<string, string | undefined> = emptyHostState("realserver").sysctls;

describe("generated specs", () => {
  it("are valid, so the properties below test real plans", () => {
    fc.assert(
      fc.property(clusterSpec, (spec) => {
        expect(validateCluster(spec).errors).toEqual([]);
      }),
      runs,
    );
  });
});

describe("plan properties", () => {
  it("applying plan(a, b) to a gives b", () => {
    fc.assert(
      fc.property(clusterSpec, clusterSpec, fc.boolean(), (a, b, drain) => {
        const plan = planCluster(a, b, { drain });
        expect(plan.errors).toEqual([]);
        const after = applyPlanToState(a, plan);
        expect(canonicalState(after)).toEqual(canonicalState(stateFromSpec(b)));
        // ...and once there, nothing is left to do.
        expect(planCluster(after, b).steps).toEqual([]);
      }),
      runs,
    );
  });

  it("rollback: planTransition(after, snapshot) brings a state applied from a back to a", () => {
    fc.assert(
      fc.property(clusterSpec, clusterSpec, (a, b) => {
        const snapshot = stateFromSpec(a);
        const after = applyPlanToState(snapshot, planCluster(snapshot, b));
        const back = planTransition(after, snapshot);
        const restored = applyPlanToState(after, back);
        expect(canonicalState(restored)).toEqual(canonicalState(snapshot));
        expect(planTransition(restored, snapshot).steps).toEqual([]);
      }),
      runs,
    );
  });

  it("plan(x, x) is empty", () => {
    fc.assert(
      fc.property(clusterSpec, (x) => {
        expect(planCluster(x, x).steps).toEqual([]);
      }),
      runs,
    );
  });

  it("never deletes and re-adds a realserver that stays", () => {
    fc.assert(
      fc.property(clusterSpec, clusterSpec, (a, b) => {
        const plan = planCluster(a, b);
        const ids = new Set(plan.steps.map((s) => s.id));
        for (const id of ids) {
          if (!id.startsWith("director:ipvs:-d:")) continue;
          expect(ids.has(id.replace(":-d:", ":-a:"))).toBe(false);
        }
      }),
      runs,
    );
  });

  it("orders each realserver's steps before the director sends it traffic", () => {
    fc.assert(
      fc.property(clusterSpec, clusterSpec, (a, b) => {
        const plan = planCluster(a, b);
        const position = new Map(plan.steps.map((s, i) => [s.id, i]));
        for (const s of plan.steps) {
          if (typeof s.host === "string" || s.op.kind === "file") continue;
          const rs = s.host.realserver;
          const i = position.get(s.id) ?? -1;
          const adds = plan.steps.filter(
            (d) =>
              d.host === "director" &&
              /^ipvsadm -[ae] /.test(d.argv?.join(" ") ?? "") &&
              d.argv?.some((x) => x.startsWith(`${rs}:`) || x.startsWith(`[${rs}]:`)),
          );
          // Preparation runs before any -a/-e for this host; cleanup after every -d/-D. A setting
          // back at its default is cleanup; any other (TUN's rp_filter 0 too) is preparation.
          if (
            s.op.kind === "sysctl"
              ? s.op.value !== RS_DEFAULTS[s.op.key]
              : "action" in s.op && s.op.action === "add"
          ) {
            for (const d of adds) expect(i).toBeLessThan(position.get(d.id) ?? -1);
          } else {
            for (const d of plan.steps) {
              if (d.host === "director" && /^ipvsadm -[dD] /.test(d.argv?.join(" ") ?? "")) {
                expect(i).toBeGreaterThan(position.get(d.id) ?? -1);
              }
            }
          }
        }
        // DR and TUN: ARP sysctls on a host precede the VIP on its lo or tunl0; tunl0's own
        // rp_filter follows its first address, whose step creates the device.
        for (const h of plan.hosts) {
          const firstAdd = (dev: string) =>
            h.steps.findIndex(
              (s) => s.op.kind === "address" && s.op.action === "add" && s.op.address.dev === dev,
            );
          const lastArp = h.steps.findLastIndex(
            (s) => s.op.kind === "sysctl" && s.op.key.includes("arp_") && s.op.value !== "0",
          );
          for (const dev of ["lo", "tunl0"]) {
            if (firstAdd(dev) >= 0 && lastArp >= 0) expect(lastArp).toBeLessThan(firstAdd(dev));
          }
          const tunlFilter = h.steps.findIndex(
            (s) => s.op.kind === "sysctl" && s.op.key === "net.ipv4.conf.tunl0.rp_filter",
          );
          if (tunlFilter >= 0) expect(firstAdd("tunl0")).toBeLessThan(tunlFilter);
        }
      }),
      runs,
    );
  });
});

describe("render round trips", () => {
  it("renderIpvsadmRestore → parseIpvsadmSave gives the model back", () => {
    fc.assert(
      fc.property(clusterSpec, (spec) => {
        const saved = parseIpvsadmSave(renderIpvsadmRestore(spec));
        expect(saved.errors).toEqual([]);
        const live = servicesFromListing(saved.services);
        expect(normalizeServices(live)).toEqual(normalizeServices(spec));
      }),
      runs,
    );
  });
});

describe("shell safety", () => {
  it("every argv survives quoting and every script has no active unquoted character", () => {
    fc.assert(
      fc.property(clusterSpec, clusterSpec, (a, b) => {
        for (const step of planCluster(a, b).steps) {
          if (step.argv) {
            expect(lexShell(argvToShell(step.argv)).commands).toEqual([step.argv]);
          }
          if (step.script) {
            const lexed = lexShell(step.script);
            expect(lexed.unquoted).not.toMatch(SHELL_ACTIVE);
            if (step.op.kind === "file" && step.op.action === "write") {
              const printf = lexed.commands.find((c) => c[0] === "printf");
              expect(printf).toEqual(["printf", "%s", step.op.content]);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("quoting round-trips hostile strings", () => {
    const hostile = fc.oneof(
      fc.string({ unit: "binary" }).filter((s) => !s.includes("\0")),
      fc.constantFrom(
        "'; rm -rf / #",
        "$(reboot)",
        "`id`",
        "a'b'c",
        "\\'",
        "--",
        "-rf",
        "x\ny",
        "*",
        "~root",
      ),
    );
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 5 }), (argv) => {
        const lexed = lexShell(argvToShell(argv));
        expect(lexed.commands.flat()).toEqual(argv.filter(() => true));
        expect(lexed.unquoted).not.toMatch(SHELL_ACTIVE);
      }),
    );
  });

  it("a spec carrying hostile strings is rejected and yields no steps", () => {
    const hostile = fc.constantFrom(
      "10.0.0.1; reboot",
      "$(id)",
      "10.0.0.1 -C",
      "eth0`id`",
      "lo\nreboot",
      "10.0.0.1/32",
    );
    fc.assert(
      fc.property(
        clusterSpec,
        hostile,
        fc.constantFrom("vip", "address", "interface", "dip"),
        (spec, bad, where) => {
          const s = structuredClone(spec);
          if (where === "interface" || where === "dip") {
            s.director = { dip: "10.10.0.1", interface: "eth1", ...s.director, [where]: bad };
          } else if (s.services[0]) {
            if (where === "vip") s.services[0].vip = bad;
            else
              s.services[0].realservers.push({ address: bad, port: 80, weight: 1, enabled: true });
          } else return;
          const plan = planCluster({ director: null, services: [] }, s);
          expect(plan.errors.length).toBeGreaterThan(0);
          expect(plan.steps).toEqual([]);
        },
      ),
      runs,
    );
  });
});
