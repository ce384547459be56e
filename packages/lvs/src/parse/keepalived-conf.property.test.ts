// The import is the renderer's inverse: any valid spec the panel renders comes back as the same
// services (the same table, check, failure action, sorry server and port checked per realserver),
// with nothing refused and nothing adjusted. On any other text, mangled or random, it never
// throws, returns only services the panel accepts, and those survive a second render and import
// unchanged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyClusterSpec as clusterSpec } from "../../test/arbitraries.ts";
import { canonicalAddress } from "../address.ts";
import {
  effectiveHealthCheck,
  FAILURE_ACTIONS,
  HEALTH_CHECK_TYPES,
  type HealthCheck,
} from "../health-check.ts";
import type { ServiceSpec } from "../model.ts";
import { normalizeService } from "../normalize.ts";
import { renderKeepalivedConf } from "../render/keepalived-conf.ts";
import { validateCluster } from "../validate.ts";
import { parseKeepalivedConf } from "./keepalived-conf.ts";

const runs = { numRuns: 300, seed: 16 };

const some = <T>(values: T[]) => fc.option(fc.constantFrom(...values), { nil: undefined });

/** What the panel adds to a service for keepalived, for clusterSpec's services. */
const healthExtras = fc.record({
  check: fc.option(
    fc.record({
      type: fc.constantFrom(...HEALTH_CHECK_TYPES),
      intervalSeconds: fc.integer({ min: 1, max: 3600 }),
      timeoutSeconds: fc.integer({ min: 1, max: 300 }),
      retries: fc.integer({ min: 0, max: 10 }),
      port: some([80, 8081]),
      path: some(["/", "/health?probe=1&x=a+b,%7E~"]),
      expectStatus: some([200, 204, 301]),
      host: some(["www.example.com", "shop.example"]),
    }),
    { nil: undefined },
  ),
  onFailure: some([...FAILURE_ACTIONS]),
  /** true: the sorry server on the service's port; false: on 8080. */
  sorryOnServicePort: some([true, false]),
  checkPorts: fc.array(some([8081, 9000]), { minLength: 6, maxLength: 6 }),
  forwardings: fc.array(fc.option(fc.constantFrom("nat" as const, "dr" as const), { freq: 8 }), {
    minLength: 6,
    maxLength: 6,
  }),
});
type Extras = typeof healthExtras extends fc.Arbitrary<infer T> ? T : never;

function withExtras(s: ServiceSpec, x: Extras): ServiceSpec {
  const out: ServiceSpec = {
    ...s,
    realservers: s.realservers.map((rs, i) => {
      const checkPort = x.checkPorts[i];
      const forwarding = x.forwardings[i];
      return {
        ...rs,
        ...(checkPort !== undefined ? { checkPort } : {}),
        ...(forwarding != null ? { forwarding } : {}),
      };
    }),
  };
  if (x.check) {
    const { path, expectStatus, host, port, timeoutSeconds, ...timing } = x.check;
    const http = x.check.type === "http" || x.check.type === "https";
    const check: HealthCheck = {
      ...timing,
      timeoutSeconds: Math.min(timeoutSeconds, timing.intervalSeconds),
    };
    if (port !== undefined) check.port = port;
    if (http && path !== undefined) check.path = path;
    if (http && expectStatus !== undefined) check.expectStatus = expectStatus;
    if (http && host !== undefined) check.host = host;
    out.healthCheck = check;
  }
  if (x.onFailure) out.onFailure = x.onFailure;
  if (x.sorryOnServicePort !== undefined) {
    out.sorryServer = {
      address: s.vip.includes(":") ? "fd00::99" : "10.10.0.99",
      port: x.sorryOnServicePort && s.port !== 0 ? s.port : 8080,
    };
  }
  return out;
}

const keepalivedSpec = fc
  .record({ spec: clusterSpec, extras: fc.array(healthExtras, { minLength: 5, maxLength: 5 }) })
  .map(({ spec, extras }) => ({
    director: null,
    engine: "keepalived" as const,
    services: spec.services.map((s, i) => withExtras(s, extras[i] as Extras)),
  }))
  .filter((spec) => validateCluster(spec).errors.length === 0);

/**
 * A service as keepalived.conf says it: the canonical table (a mark service's non-NAT realserver
 * without its port, which keepalived clears), and the check only as far as it reaches keepalived:
 * the port checked per realserver, not whether the service or the realserver named it; nothing
 * of a check none, or of one that has no port to check anywhere; no port for a mark service's
 * non-NAT sorry server.
 */
function asFileSays(s: ServiceSpec) {
  const table = normalizeService({
    ...s,
    realservers: s.realservers.map((rs) =>
      s.fwmark != null && (rs.forwarding ?? s.forwarding) !== "nat" ? { ...rs, port: 0 } : rs,
    ),
  });
  const check = effectiveHealthCheck(s);
  const checkPorts = s.realservers.map((rs) => rs.checkPort ?? check.port ?? rs.port);
  const checked = check.type !== "none" && checkPorts.some((p) => p !== 0);
  const http = check.type === "http" || check.type === "https";
  const sorry = s.sorryServer;
  return {
    table,
    check: checked
      ? {
          type: check.type,
          intervalSeconds: check.intervalSeconds,
          timeoutSeconds: check.timeoutSeconds,
          retries: check.retries,
          ...(http ? { path: check.path ?? "/", expectStatus: check.expectStatus } : {}),
          ...(http ? { host: check.host } : {}),
        }
      : { type: "none" },
    onFailure: checked ? (s.onFailure ?? "quiesce") : null,
    checkPorts: checked ? checkPorts : null,
    sorry: sorry
      ? {
          address: canonicalAddress(sorry.address),
          port: s.fwmark != null && table.forwarding !== "nat" ? 0 : sorry.port,
        }
      : null,
  };
}

describe("parseKeepalivedConf against renderKeepalivedConf", () => {
  it("gives back every service the panel renders, refusing nothing", () => {
    fc.assert(
      fc.property(keepalivedSpec, (spec) => {
        const imported = parseKeepalivedConf(renderKeepalivedConf(spec));
        expect(imported.refused).toEqual([]);
        expect(imported.adjusted).toEqual([]);
        expect(imported.ignored).toEqual(["global_defs"]);
        const rendered = spec.services.filter((s) => s.realservers.length > 0);
        expect(imported.services.map(asFileSays)).toEqual(rendered.map(asFileSays));
      }),
      runs,
    );
  });
});

// Words keepalived.conf is made of, valid and not, so random files reach deep into the grammar.
const VOCABULARY = [
  "\n",
  "\n",
  "{",
  "}",
  "{\n",
  "}\n",
  "virtual_server",
  "virtual_server 10.0.0.1 80 {\n",
  "virtual_server fwmark 7 {\n",
  "real_server 10.0.0.11 80 {\n",
  "real_server fd00::11 {\n",
  "10.0.0.1",
  "fd00::1",
  "80",
  "0",
  "fwmark",
  "group",
  "real_server",
  "weight",
  "1",
  "protocol",
  "TCP",
  "sctp",
  "lvs_sched",
  "lb_algo",
  "sh",
  "sh-port",
  "flag-1",
  "lvs_method",
  "DR",
  "NAT",
  "TUN",
  "delay_loop",
  "delay_before_retry",
  "connect_timeout",
  "retry",
  "nb_get_retry",
  "3",
  "1.5",
  "0.25",
  "warmup",
  "fast_recovery",
  "$D=1\n",
  "$D",
  "~SEQ(i,1,2)",
  "connect_port",
  "TCP_CHECK {",
  "HTTP_GET {",
  "MISC_CHECK {",
  "url {",
  "path",
  "/",
  "status_code",
  "200-299",
  "digest",
  "virtualhost",
  "www.example.com",
  "inhibit_on_failure",
  "persistence_timeout",
  "persistence_granularity",
  "255.255.255.0",
  "sorry_server",
  "include",
  "vrrp_instance VI_1 {",
  '"',
  '"a b"',
  "#",
  "!",
  "\\#",
  "@node1",
  "$X",
];

/** A rendered file with lines dropped, doubled or cut, or a brace added. */
const mangled = fc
  .tuple(keepalivedSpec, fc.array(fc.tuple(fc.nat(), fc.nat(3)), { maxLength: 4 }))
  .map(([spec, edits]) => {
    const lines = renderKeepalivedConf(spec).split("\n");
    for (const [at, how] of edits) {
      const i = at % lines.length;
      const line = lines[i] ?? "";
      if (how === 0) lines.splice(i, 1);
      else if (how === 1) lines.splice(i, 0, line);
      else if (how === 2) lines[i] = line.slice(0, line.length >> 1);
      else lines.splice(i, 0, at % 2 === 0 ? "}" : "{");
    }
    return lines.join("\n");
  });

const anyText = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 120 }).map((w) => w.join(" ")),
  },
  { weight: 3, arbitrary: mangled },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

describe("parseKeepalivedConf on any text", () => {
  it("never throws, imports only services the panel accepts, and those survive a round trip", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const imported = parseKeepalivedConf(text);
        const { errors } = validateCluster({
          engine: "keepalived",
          director: null,
          services: imported.services,
        });
        expect(errors).toEqual([]);
        for (const r of imported.refused) expect(r.reason).not.toBe("");
        for (const a of imported.adjusted) expect(a.note).not.toBe("");
        const again = parseKeepalivedConf(renderKeepalivedConf(imported));
        expect(again.refused).toEqual([]);
        expect(again.adjusted).toEqual([]);
        expect(again.services.map(asFileSays)).toEqual(
          imported.services.filter((s) => s.realservers.length > 0).map(asFileSays),
        );
      }),
      runs,
    );
  });
});
