// The rules for one submitted service or realserver and the rules validateCluster applies to a
// stored cluster are one validator: a value passes both or neither, with the same issue codes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { realServerInput, serviceInput } from "../test/input-arbitraries.ts";
import { MAX_THRESHOLD } from "./fields.ts";
import {
  realServerInputSchema,
  serviceInputSchema,
  validateRealServerInput,
  validateServiceInput,
} from "./input-rules.ts";
import type { ServiceSpec } from "./model.ts";
import { validateCluster } from "./validate.ts";

const runs = { numRuns: 300, seed: 4242 };
const codes = (issues: { code: string }[]) => [...new Set(issues.map((i) => i.code))].sort();

describe("input rules and cluster rules", () => {
  it("agree on a service whose fields are valid on their own", () => {
    fc.assert(
      fc.property(serviceInput, (input) => {
        const issues = validateServiceInput(input);
        const parsed = serviceInputSchema.safeParse(input);
        if (!parsed.success) {
          expect(issues).not.toEqual([]);
          return;
        }
        // Port 0 parses (a mark service has it) but is a field error without a mark.
        if (parsed.data.port === 0 && parsed.data.fwmark == null) {
          expect(codes(issues)).toEqual(["INVALID_PORT"]);
          return;
        }
        const spec = { ...parsed.data, realservers: [] } as ServiceSpec;
        const cluster = validateCluster({ director: null, services: [spec] });
        expect(codes(issues)).toEqual(codes(cluster.errors));
      }),
      runs,
    );
  });

  it("agree on a realserver whose fields are valid on their own", () => {
    fc.assert(
      fc.property(realServerInput, (input) => {
        const issues = validateRealServerInput(input);
        const parsed = realServerInputSchema.safeParse(input);
        if (!parsed.success) {
          expect(issues).not.toEqual([]);
          return;
        }
        const rs = { weight: 1, enabled: true, ...parsed.data };
        const spec: ServiceSpec = {
          protocol: "tcp",
          vip: "10.0.0.200",
          port: 80,
          scheduler: "rr",
          forwarding: "nat",
          realservers: [rs],
        };
        expect(codes(issues)).toEqual(
          codes(validateCluster({ director: null, services: [spec] }).errors),
        );
      }),
      runs,
    );
  });

  it("take the same thresholds, up to ipvsadm's INT_MAX", () => {
    const threshold = fc.oneof(
      fc.integer({ min: -2, max: 2 ** 32 + 2 }),
      fc.constantFrom(0, 1, MAX_THRESHOLD, MAX_THRESHOLD + 1, 2 ** 32 - 1, 0.5),
    );
    fc.assert(
      fc.property(threshold, threshold, (upperThreshold, lowerThreshold) => {
        const rs = { address: "10.0.0.11", port: 80, upperThreshold, lowerThreshold };
        const spec: ServiceSpec = {
          protocol: "tcp",
          vip: "10.0.0.200",
          port: 80,
          scheduler: "rr",
          forwarding: "nat",
          realservers: [{ ...rs, weight: 1, enabled: true }],
        };
        const inputOk = validateRealServerInput(rs).length === 0;
        const clusterOk = validateCluster({ director: null, services: [spec] }).errors.length === 0;
        expect(inputOk).toBe(clusterOk);
      }),
      runs,
    );
  });
});
