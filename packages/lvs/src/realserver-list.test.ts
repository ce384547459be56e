import { describe, expect, it } from "vitest";
import { parseRealserverList } from "./realserver-list.ts";

describe("parseRealserverList", () => {
  it("reads address, address:port, [IPv6]:port and an optional weight; skips blanks and comments", () => {
    const list = parseRealserverList(
      [
        "10.10.0.11",
        "10.10.0.12:8080 5",
        "",
        "# the new rack",
        "10.10.0.13\t0   # drained from the start",
        "10.10.0.14,3",
      ].join("\n"),
      { port: 80 },
    );
    expect(list.problems).toEqual([]);
    expect(list.entries).toEqual([
      { line: 1, address: "10.10.0.11", port: 80, weight: 1 },
      { line: 2, address: "10.10.0.12", port: 8080, weight: 5 },
      { line: 5, address: "10.10.0.13", port: 80, weight: 0 },
      { line: 6, address: "10.10.0.14", port: 80, weight: 3 },
    ]);
  });

  it("takes IPv6 bare or in brackets, canonical", () => {
    const list = parseRealserverList("FD00::0011\n[fd00::12]:8443 2\n[fd00::13]", {
      port: 443,
      family: 6,
    });
    expect(list.problems).toEqual([]);
    expect(list.entries.map((e) => [e.address, e.port, e.weight])).toEqual([
      ["fd00::11", 443, 1],
      ["fd00::12", 8443, 2],
      ["fd00::13", 443, 1],
    ]);
  });

  it("names each bad line in plain words, and keeps the good ones", () => {
    const list = parseRealserverList(
      [
        "10.10.0.999",
        "10.10.0.11:70000",
        "10.10.0.12 heavy",
        "10.10.0.13 1 2",
        "10.10.0.14:",
        "[fd00::1",
        "fd00::15",
        "10.10.0.16",
        "10.10.0.16:80 4",
        "10.10.0.17",
      ].join("\n"),
      { port: 80, family: 4, existing: [{ address: "10.10.0.17", port: 80 }] },
    );
    expect(list.entries.map((e) => e.address)).toEqual(["10.10.0.16"]);
    expect(list.problems).toEqual([
      { line: 1, message: '"10.10.0.999" is not an IPv4 or IPv6 address' },
      { line: 2, message: 'port "70000" must be a whole number from 1 to 65535' },
      { line: 3, message: 'weight "heavy" must be a whole number from 0 to 65535' },
      { line: 4, message: 'expected "address[:port] [weight]", found 3 values' },
      { line: 5, message: 'port "" must be a whole number from 1 to 65535' },
      {
        line: 6,
        message: '"[fd00::1" is not an address: write an IPv6 address with a port as [fd00::11]:80',
      },
      { line: 7, message: "fd00::15 is IPv6, but the VIP is IPv4" },
      { line: 9, message: "10.10.0.16:80 is listed twice (first on line 8)" },
      { line: 10, message: "10.10.0.17:80 is already in this service" },
    ]);
  });

  it("a mark service has no port to give: each line names one", () => {
    const list = parseRealserverList("10.10.0.11\n10.10.0.12:80", { port: null });
    expect(list.problems).toEqual([
      { line: 1, message: "give a port (address:port): a mark service has none of its own" },
    ]);
    expect(list.entries).toEqual([{ line: 2, address: "10.10.0.12", port: 80, weight: 1 }]);
  });
});
