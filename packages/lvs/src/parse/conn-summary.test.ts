import { describe, expect, it } from "vitest";
import { parseConnectionSummary } from "./conn-summary.ts";

const WHOLE = [
  "ipvs-conn-summary 1 5",
  "r 10 2 1 104 192.168.77.2:52898",
  "r 50 1 2 55 192.168.77.0:0",
  "r 01 1 1 7 [fd00::1]:40000",
  "t 4 1 0",
  "s 1 TIME_WAIT 3",
  "s 2 ASSURED 1",
  "p 2 TCP 192.168.77.100:80 10.10.0.11:80 1",
  "p 1 TCP 192.168.77.100:8080 10.10.0.12:80 2",
  "p 3 UDP [fd00::200]:53 [fd00::11]:53 1",
  "m 1 3",
  "m 2 0",
  "m 3 1",
  "m 4 1",
  "m 5 1",
  "end",
  "",
].join("\n");

describe("parseConnectionSummary", () => {
  it("reads totals, matched counts and rows (a row once for every filter in its mask)", () => {
    const r = parseConnectionSummary(WHOLE, 5);
    expect(r.errors).toEqual([]);
    expect(r.tableErrors).toBe(0);
    expect(r.totals).toEqual({
      entries: 4,
      templates: 1,
      byState: { TIME_WAIT: 3, ASSURED: 1 },
      services: {
        "TCP 192.168.77.100:80": { entries: 1, realservers: { "10.10.0.11:80": 1 } },
        "TCP 192.168.77.100:8080": { entries: 2, realservers: { "10.10.0.12:80": 2 } },
        "UDP [fd00::200]:53": { entries: 1, realservers: { "[fd00::11]:53": 1 } },
      },
    });
    const template = {
      protocol: "TCP",
      state: "ASSURED",
      expires: 55,
      client: "192.168.77.0:0",
      virtual: "192.168.77.100:8080",
      realserver: "10.10.0.12:80",
      template: true,
    };
    expect(r.filters.map((f) => f.matched)).toEqual([3, 0, 1, 1, 1]);
    expect(r.filters[0]?.rows).toEqual([
      {
        protocol: "TCP",
        state: "TIME_WAIT",
        expires: 104,
        client: "192.168.77.2:52898",
        virtual: "192.168.77.100:80",
        realserver: "10.10.0.11:80",
        template: false,
      },
      template,
    ]);
    expect(r.filters[2]?.rows).toEqual([template]);
    expect(r.filters[3]?.rows).toEqual([]);
    // "01": the second digit, bit 1, is filter 5.
    expect(r.filters[4]?.rows.map((x) => x.client)).toEqual(["[fd00::1]:40000"]);
  });

  it("lists services by protocol first seen, as the table parser does", () => {
    const text = [
      "ipvs-conn-summary 1 0",
      "t 3 0 2",
      "p 1 TCP 10.0.0.1:80 10.0.1.1:80 1",
      "p 2 UDP 10.0.0.1:53 10.0.1.1:53 1",
      "p 3 TCP 10.0.0.2:80 10.0.1.1:80 1",
      "end",
    ].join("\n");
    const r = parseConnectionSummary(text, 0);
    expect(Object.keys(r.totals.services)).toEqual([
      "TCP 10.0.0.1:80",
      "TCP 10.0.0.2:80",
      "UDP 10.0.0.1:53",
    ]);
    expect(r.tableErrors).toBe(2);
    expect(r.filters).toEqual([]);
  });

  it("adds up two spellings of one endpoint", () => {
    const text = [
      "ipvs-conn-summary 1 0",
      "t 3 0 0",
      "p 1 TCP 10.0.0.1:80 10.0.1.1:80 1",
      "p 2 TCP 10.0.0.1:80 10.0.1.1:80 2",
      "end",
    ].join("\n");
    expect(parseConnectionSummary(text, 0).totals.services).toEqual({
      "TCP 10.0.0.1:80": { entries: 3, realservers: { "10.0.1.1:80": 3 } },
    });
  });

  it("says when the summary is cut short, and keeps what it read", () => {
    const cut = WHOLE.slice(0, WHOLE.indexOf("m 1"));
    const r = parseConnectionSummary(cut, 5);
    expect(r.errors).toEqual([expect.stringMatching(/cut short/)]);
    expect(r.totals.entries).toBe(4);
    expect(r.filters[0]?.rows).toHaveLength(2);
    expect(parseConnectionSummary(WHOLE.slice(0, 30), 5).errors.join()).toMatch(/cut short/);
  });

  it("refuses what is not a summary of these filters", () => {
    expect(parseConnectionSummary("", 1).errors).toEqual([expect.stringMatching(/no summary/)]);
    expect(parseConnectionSummary("mawk: cannot open file\n", 1).errors.join()).toMatch(
      /not a connection summary/,
    );
    expect(parseConnectionSummary(WHOLE, 4).errors.join()).toMatch(/5 filters, 4 expected/);
    expect(
      parseConnectionSummary(WHOLE.replace("summary 1", "summary 2"), 5).errors.join(),
    ).toMatch(/unknown version/);
  });

  it("reports malformed and dangling lines and does not throw", () => {
    const text = WHOLE.replace("end", "r 10 9 1 5 1.2.3.4:5\nr 1 x\nq what\nend\nmore");
    const r = parseConnectionSummary(text, 5);
    expect(r.errors).toEqual([
      expect.stringMatching(/line 17: bad row/),
      expect.stringMatching(/line 18: unknown line "q what"/),
      expect.stringMatching(/line 20: text after the end/),
      expect.stringMatching(/line 16: row of an unknown service or state/),
    ]);
    expect(r.filters[0]?.rows).toHaveLength(2);
  });
});
