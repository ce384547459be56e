// The plan shares rendered text between hosts and between its two sides (HostFileMemo,
// HostStepMemo, EndpointMemo, the rules file's per-realserver options). These properties check
// that sharing never changes a result: with a memo shared across unrelated specs, everything
// equals what a fresh derivation or the plain argv builders give.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyClusterSpec as clusterSpec } from "../../test/arbitraries.ts";
import { desiredHostStates } from "../host/desired.ts";
import { HostFileMemo } from "../host/file-memo.ts";
import { emptyHostState } from "../host/state.ts";
import { normalizeServices } from "../normalize.ts";
import { EndpointMemo } from "../render/endpoints.ts";
import { ipvsadmArgv, renderNormalizedRestore } from "../render/ipvsadm.ts";
import { diffHost, HostStepMemo } from "./host-diff.ts";

const runs = { numRuns: 150 };

describe("memoized rendering", () => {
  it("host states are the same with a memo shared across specs as without one", () => {
    fc.assert(
      fc.property(fc.array(clusterSpec, { minLength: 2, maxLength: 4 }), (specs) => {
        const memo = new HostFileMemo();
        for (const spec of specs) {
          const shared = desiredHostStates(spec, normalizeServices(spec), memo);
          expect(shared).toEqual(desiredHostStates(spec));
        }
      }),
      runs,
    );
  });

  it("the rules file has exactly the lines the argv builders give", () => {
    fc.assert(
      fc.property(fc.array(clusterSpec, { minLength: 1, maxLength: 3 }), (specs) => {
        const endpoints = new EndpointMemo();
        for (const spec of specs) {
          const services = normalizeServices(spec);
          const lines = services.flatMap((s) => [
            ipvsadmArgv.addService(s).slice(1).join(" "),
            ...s.realservers.map((rs) => ipvsadmArgv.addServer(s, rs).slice(1).join(" ")),
          ]);
          const expected = lines.length > 0 ? `${lines.join("\n")}\n` : "";
          expect(renderNormalizedRestore(services, endpoints)).toBe(expected);
        }
      }),
      runs,
    );
  });

  it("host steps are the same with a step memo shared across hosts and plans", () => {
    fc.assert(
      fc.property(clusterSpec, clusterSpec, (a, b) => {
        const from = desiredHostStates(a);
        const to = desiredHostStates(b);
        const vips = new Set([...a.services, ...b.services].map((s) => s.vip));
        const memo = new HostStepMemo();
        const addresses = new Set([
          ...Object.keys(from.realservers),
          ...Object.keys(to.realservers),
        ]);
        // Both directions through one memo, so the second sees the first's cached text.
        for (const [x, y] of [
          [from, to],
          [to, from],
        ] as const) {
          for (const address of addresses) {
            const cur = x.realservers[address] ?? emptyHostState("realserver");
            const des = y.realservers[address] ?? emptyHostState("realserver");
            const host = { realserver: address };
            expect(diffHost(host, cur, des, vips, memo)).toEqual(
              diffHost(host, cur, des, vips, new HostStepMemo()),
            );
          }
        }
      }),
      runs,
    );
  });
});
