import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS, isFiltered, liveQueryString } from "./query.ts";

describe("liveQueryString", () => {
  it("sends only templates and limit by default", () => {
    expect(liveQueryString(DEFAULT_FILTERS)).toBe("templates=false&limit=500");
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false);
  });

  it("encodes the service key and trims the client prefix", () => {
    const filters = {
      ...DEFAULT_FILTERS,
      service: "TCP [fd00::200]:80",
      state: "ESTABLISHED",
      client: " 192.168.77. ",
      templates: true,
      limit: 5000,
    };
    const params = new URLSearchParams(liveQueryString(filters));
    expect(params.get("service")).toBe("TCP [fd00::200]:80");
    expect(params.get("client")).toBe("192.168.77.");
    expect(params.get("state")).toBe("ESTABLISHED");
    expect(params.get("templates")).toBe("true");
    expect(params.get("limit")).toBe("5000");
    expect(isFiltered(filters)).toBe(true);
  });
});
