import { describe, expect, it } from "vitest";
import { locateIssues } from "./issuePaths.ts";

describe("locateIssues", () => {
  it("places issues on services and realservers by their field path", () => {
    const located = locateIssues({
      errors: [
        { code: "DR_PORT_MISMATCH", field: "services[1].realservers[0].port", message: "m" },
      ],
      warnings: [
        { code: "NO_DIRECTOR", field: "director", message: "w" },
        { code: "X", field: "services[0].vip", message: "v" },
      ],
    });
    expect(located).toEqual([
      expect.objectContaining({ severity: "error", service: 1, realserver: 0 }),
      expect.objectContaining({ severity: "warning", service: 0, realserver: null }),
    ]);
  });
});
