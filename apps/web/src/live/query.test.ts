import { describe, expect, it } from "vitest";
import { clientFilterError, DEFAULT_FILTERS, isFiltered, liveQueryString } from "./query.ts";

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

describe("clientFilterError", () => {
  it("takes a prefix or one client's ip:port, and says what it takes otherwise", () => {
    for (const client of ["", " 192.168.77. ", "192.168.77.5:43512", "[fd00::5]:43512", "fd00:"]) {
      expect(clientFilterError({ ...DEFAULT_FILTERS, client })).toBeNull();
    }
    expect(clientFilterError({ ...DEFAULT_FILTERS, client: "example.com" })).toBe(
      "Client must be the start of an address (192.168.77.) or one client as address:port (192.168.77.5:43512, [fd00::5]:43512)",
    );
    expect(clientFilterError({ ...DEFAULT_FILTERS, client: "10.0.0.1:70000" })).toMatch(
      /^Client must be an address and a port from 0 to 65535/,
    );
  });
});
