import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatEndpoint } from "./address.ts";
import {
  clientFilterProblem,
  matchesClientFilter,
  parseClientFilter,
} from "./live-client-filter.ts";

describe("parseClientFilter", () => {
  it("reads the start of an address as a prefix, as it always did", () => {
    for (const text of ["192.168.77.", "10", "10.10.0.1", "fd00:", "fd00::1", "::", "1:80", "0"]) {
      expect(parseClientFilter(text)).toEqual({
        ok: true,
        filter: { kind: "prefix", prefix: text },
      });
    }
    // IPv6 text is lower case, so the prefix is too.
    expect(parseClientFilter("FD00:")).toEqual({
      ok: true,
      filter: { kind: "prefix", prefix: "fd00:" },
    });
    expect(parseClientFilter("")).toEqual({ ok: true, filter: null });
  });

  it("reads ip:port and [ipv6]:port as one client, its address canonical", () => {
    expect(parseClientFilter("192.168.77.5:43512")).toEqual({
      ok: true,
      filter: { kind: "endpoint", address: "192.168.77.5", port: 43512, family: 4 },
    });
    expect(parseClientFilter("[FD00:0::5]:80")).toEqual({
      ok: true,
      filter: { kind: "endpoint", address: "fd00::5", port: 80, family: 6 },
    });
  });

  it("refuses anything else with a message that shows the forms it takes", () => {
    const bad = [
      "client",
      "192.168.77.300",
      "1.2.3.4.5",
      " 10.",
      "10.0.0.1:",
      "10.0.0.1:99999",
      "10.0.0:80",
      "fd00:::1",
      "fd00::1::2",
      "12345:",
      "10.0.0.1/24",
    ];
    for (const text of bad) {
      const problem = clientFilterProblem(text);
      expect(problem, text).toMatch(/192\.168\.77\.5:43512/);
      expect(problem, text).toMatch(/\[fd00::5\]:43512/);
    }
    expect(clientFilterProblem("[fd00::5]")).toMatch(/the port is missing/);
    expect(clientFilterProblem("client")).toMatch(
      /^must be the start of an address \(192\.168\.77\.\)/,
    );
  });

  it("takes every prefix of every address, and every address:port, as formatEndpoint writes them", () => {
    const v4 = fc.ipV4().filter((a) => !/(^|\.)0\d/.test(a));
    const address = fc.oneof(v4, fc.ipV6());
    fc.assert(
      fc.property(address, fc.integer({ min: 0, max: 65535 }), fc.nat(), (raw, port, cut) => {
        const endpoint = parseClientFilter(formatEndpoint(raw, port));
        expect(endpoint.ok).toBe(true);
        if (!endpoint.ok || endpoint.filter?.kind !== "endpoint") throw new Error("no endpoint");
        const { address: canonical } = endpoint.filter;
        expect(matchesClientFilter(endpoint.filter, canonical, port)).toBe(true);
        expect(matchesClientFilter(endpoint.filter, canonical, (port + 1) % 65536)).toBe(false);
        const prefix = canonical.slice(0, 1 + (cut % canonical.length));
        const parsed = parseClientFilter(prefix);
        expect(parsed, prefix).toEqual({ ok: true, filter: { kind: "prefix", prefix } });
        if (parsed.ok && parsed.filter) {
          expect(matchesClientFilter(parsed.filter, canonical, port)).toBe(true);
        }
      }),
    );
  });
});
