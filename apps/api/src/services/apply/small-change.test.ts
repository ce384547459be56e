// Which plans are small changes, and the director as a small change's read-back shows it.
import {
  type ClusterSpec,
  type ClusterState,
  desiredHostStates,
  parseIpvsadmSave,
  renderIpvsadmRestore,
  type ServiceSpec,
  type Step,
  servicesFromListing,
} from "@lvs-panel/lvs";
import { describe, expect, it } from "vitest";
import { ipvsadmEngine } from "./engine/ipvsadm-engine.ts";
import type { HostReading } from "./read-state.ts";
import { SMALL_CHANGE_MAX_SERVICES, smallChangeOf, withTouchedServices } from "./small-change.ts";

const service = (
  vip: string,
  weights: number[],
  extra: Partial<ServiceSpec> = {},
): ServiceSpec => ({
  protocol: "tcp",
  vip,
  port: 80,
  scheduler: "wrr",
  forwarding: "nat",
  realservers: weights.map((weight, i) => ({
    address: `10.10.0.${11 + i}`,
    port: 8080,
    weight,
    enabled: true,
  })),
  ...extra,
});

const spec = (services: ServiceSpec[]): ClusterSpec => ({
  director: { dip: "10.10.0.1", interface: "eth1" },
  services,
});

/** The director holding `applied`, as a full reading would give it. */
function applied(services: ServiceSpec[]): { state: ClusterState; director: HostReading } {
  const hosts = desiredHostStates(spec(services));
  const listed = parseIpvsadmSave(renderIpvsadmRestore({ services })).services;
  const state: ClusterState = {
    services,
    hosts: { director: hosts.director, realservers: hosts.realservers },
  };
  const director: HostReading = {
    state: hosts.director ?? { sysctls: {}, addresses: [], rules: [], routes: [], files: {} },
    listed,
    services: servicesFromListing(listed).services,
    parseErrors: [],
  };
  return { state, director };
}

const small = { readThresholds: false, unreachableHosts: 0 };
const table = [service("10.0.0.1", [1, 2]), service("10.0.0.2", [3]), service("10.0.0.3", [1])];

describe("smallChangeOf", () => {
  it("a weight and a drain on the applied table: only the services they touch, rules file included", () => {
    const { state, director } = applied(table);
    const desired = [
      service("10.0.0.1", [5, 2]),
      service("10.0.0.2", [0]),
      table[2] as ServiceSpec,
    ];
    const plan = ipvsadmEngine.plan(state, spec(desired));
    expect(plan.steps.map((s) => s.op.kind).sort()).toEqual(["file", "ipvsadm", "ipvsadm"]);
    expect(smallChangeOf(ipvsadmEngine, plan, director, small)).toEqual({
      services: [
        { key: "tcp|10.0.0.1|80", args: ["-t", "10.0.0.1:80"] },
        { key: "tcp|10.0.0.2|80", args: ["-t", "10.0.0.2:80"] },
      ],
    });
  });

  it("is not one when the plan adds or removes a service, or changes anything off the table", () => {
    const { state, director } = applied(table);
    const cases: ServiceSpec[][] = [
      [...table, service("10.0.0.4", [1])], // -A, and the VIP on the director
      table.slice(0, 2), // -D
      // DR everywhere: forwarding goes off on the director
      table.map((s) => ({
        ...s,
        forwarding: "dr" as const,
        realservers: s.realservers.map((r) => ({ ...r, port: 80 })),
      })),
    ];
    for (const desired of cases) {
      const plan = ipvsadmEngine.plan(state, spec(desired));
      expect(plan.steps.length, JSON.stringify(plan.errors)).toBeGreaterThan(0);
      expect(smallChangeOf(ipvsadmEngine, plan, director, small)).toBeNull();
    }
  });

  it("is not one on keepalived, with thresholds, around unreachable hosts, or beyond the service cap", () => {
    const { state, director } = applied(table);
    const plan = ipvsadmEngine.plan(state, spec([service("10.0.0.1", [5, 2]), ...table.slice(1)]));
    expect(smallChangeOf(ipvsadmEngine, plan, director, small)).not.toBeNull();
    expect(smallChangeOf({ id: "keepalived" }, plan, director, small)).toBeNull();
    expect(
      smallChangeOf(ipvsadmEngine, plan, director, { ...small, readThresholds: true }),
    ).toBeNull();
    expect(
      smallChangeOf(ipvsadmEngine, plan, director, { ...small, unreachableHosts: 1 }),
    ).toBeNull();
    expect(smallChangeOf(ipvsadmEngine, plan, undefined, small)).toBeNull();

    const many = Array.from({ length: SMALL_CHANGE_MAX_SERVICES + 1 }, (_, i) =>
      service(`10.0.1.${i + 1}`, [1]),
    );
    const big = applied(many);
    const all = ipvsadmEngine.plan(
      big.state,
      spec(
        many.map((s) => ({ ...s, realservers: s.realservers.map((r) => ({ ...r, weight: 2 })) })),
      ),
    );
    expect(smallChangeOf(ipvsadmEngine, all, big.director, small)).toBeNull();
  });

  it("names mark and IPv6 services as ipvsadm lists them; refuses steps it does not know", () => {
    const step = (argv: string[], host: Step["host"] = "director"): Step => ({
      id: argv.join(" "),
      host,
      description: "",
      argv,
      op: { kind: "ipvsadm" },
    });
    const listed = parseIpvsadmSave(
      "-A -f 7 -6 -s rr\n-a -f 7 -6 -r [2001:db8::11]:0 -g -w 1\n-A -t [2001:db8::1]:443 -s rr\n",
    ).services;
    const director = { listed };
    const plan = (...steps: Step[]) => ({ steps, errors: [] });
    expect(
      smallChangeOf(
        ipvsadmEngine,
        plan(
          step(["ipvsadm", "-e", "-f", "7", "-6", "-r", "[2001:db8::11]:0", "-g", "-w", "3"]),
          step(["ipvsadm", "-a", "-t", "[2001:db8:0::1]:443", "-r", "[2001:db8::12]:443", "-g"]),
        ),
        director,
        small,
      ),
    ).toEqual({
      services: [
        { key: "fwm|7|6", args: ["-f", "7", "-6"] },
        { key: "tcp|2001:db8::1|443", args: ["-t", "[2001:db8::1]:443"] },
      ],
    });
    // A service the director does not have; a step on a realserver; a script step.
    expect(
      smallChangeOf(
        ipvsadmEngine,
        plan(step(["ipvsadm", "-E", "-f", "8", "-s", "rr"])),
        director,
        small,
      ),
    ).toBeNull();
    expect(
      smallChangeOf(
        ipvsadmEngine,
        plan(step(["ipvsadm", "-E", "-f", "7", "-6", "-s", "rr"], { realserver: "10.0.0.9" })),
        director,
        small,
      ),
    ).toBeNull();
    expect(
      smallChangeOf(
        ipvsadmEngine,
        plan({
          id: "w",
          host: "director",
          description: "",
          script: "sleep 1",
          op: { kind: "wait" },
        }),
        director,
        small,
      ),
    ).toBeNull();
  });
});

describe("withTouchedServices", () => {
  const listing = (body: string) =>
    [
      "IP Virtual Server version 1.2.1 (size=4096)",
      "Prot LocalAddress:Port Scheduler Flags",
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
      body,
      "",
    ].join("\n");

  it("replaces the touched services by their listings, counters aside, and keeps the rest as read", () => {
    const { director } = applied(table);
    const change = {
      services: [
        { key: "tcp|10.0.0.1|80", args: ["-t", "10.0.0.1:80"] },
        { key: "tcp|10.0.0.2|80", args: ["-t", "10.0.0.2:80"] },
      ],
    };
    const outputs = new Map<string, string | null>([
      [
        "service:0",
        listing(
          "TCP  10.0.0.1:80 wrr\n  -> 10.10.0.11:8080              Masq    5      12         40\n  -> 10.10.0.12:8080              Masq    2      3          7",
        ),
      ],
      ["service:1", null], // "No such service"
    ]);
    const after = withTouchedServices(director, change, outputs);
    expect(after.services?.map((s) => [s.vip, s.realservers.map((r) => r.weight)])).toEqual([
      ["10.0.0.1", [5, 2]],
      ["10.0.0.3", [1]],
    ]);
    expect(after.services?.[1]).toBe(director.services?.[2]);
    expect(after.listed?.map((l) => l.address)).toEqual(["10.0.0.1", "10.0.0.3"]);
    expect(after.state).toBe(director.state);
    expect(() => withTouchedServices(director, change, new Map())).toThrow(/did not run/);
  });
});
