import { describe, expect, it } from "vitest";
import type { PlanSummary } from "../../../api/types.ts";
import { foreignServiceCount, isOwnershipLine } from "./planOwnership.ts";

const empty: PlanSummary = {
  servicesAdded: [],
  servicesChanged: [],
  servicesRemoved: [],
  forwardingSwitches: [],
  lines: [],
};

describe("foreignServiceCount", () => {
  it("counts the services no cluster owns, left alone or removed", () => {
    expect(foreignServiceCount(empty)).toBe(0);
    expect(
      foreignServiceCount({
        ...empty,
        notManaged: [
          { service: "TCP 10.0.0.1:80", owner: null },
          { service: "FWM 7", owner: null },
          { service: "TCP 10.0.0.2:80", owner: "web" },
        ],
      }),
    ).toBe(2);
    expect(
      foreignServiceCount({
        ...empty,
        notManaged: [{ service: "TCP 10.0.0.2:80", owner: "web" }],
        foreignRemoved: ["TCP 10.0.0.1:80", "FWM 7"],
      }),
    ).toBe(2);
  });
});

describe("isOwnershipLine", () => {
  it("picks the lines the ownership section replaces, and no others", () => {
    expect(isOwnershipLine("not managed by this cluster: 2 services (left alone)")).toBe(true);
    expect(
      isOwnershipLine('cluster "fresh" manages 1 more service on this director (left alone)'),
    ).toBe(true);
    expect(
      isOwnershipLine("remove 2 services this cluster does not manage: TCP 10.0.0.1:80, FWM 7"),
    ).toBe(true);
    expect(isOwnershipLine("remove service TCP 10.0.0.1:80")).toBe(false);
    expect(isOwnershipLine("add service TCP 10.0.0.1:80")).toBe(false);
  });
});
