import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixture } from "../../test/fixtures.ts";
import {
  type ConnectionEntry,
  ConnectionTableParser,
  parseConnectionTable,
  parseProcIpVsConn,
  summarizeConnections,
} from "./connections.ts";

/** Entries in a format-independent form; -Lnc rounds nothing, so the two files must agree. */
function comparable(e: ConnectionEntry) {
  return [
    e.protocol,
    e.state,
    e.clientAddress,
    e.clientPort,
    e.virtualAddress,
    e.virtualPort,
    e.destAddress,
    e.destPort,
    e.template,
  ].join(" ");
}

describe("connection tables", () => {
  it("reads -Lnc and the /proc file of the same moment to the same entries", () => {
    const lnc = parseConnectionTable(fixture("mixed-Lnc.txt"));
    const proc = parseProcIpVsConn(fixture("mixed-proc-ip_vs_conn.txt"));
    expect(lnc.errors).toEqual([]);
    expect(proc.errors).toEqual([]);
    const lines = fixture("mixed-Lnc.txt").trimEnd().split("\n").length - 2;
    expect(lnc.entries).toHaveLength(lines);
    expect(lnc.entries.map(comparable)).toEqual(proc.entries.map(comparable));
    // The two captures are seconds apart, so mm:ss and seconds agree to within that.
    lnc.entries.forEach((e, i) => {
      expect(Math.abs(e.expires - (proc.entries[i]?.expires ?? -99))).toBeLessThanOrEqual(3);
    });
  });

  it("decodes fields and marks the persistence template", () => {
    const { entries } = parseProcIpVsConn(fixture("mixed-proc-ip_vs_conn.txt"));
    expect(entries[0]).toMatchObject({
      protocol: "TCP",
      state: "TIME_WAIT",
      expires: 113,
      clientAddress: "192.168.77.2",
      clientPort: 0x9002,
      virtualAddress: "192.168.77.100",
      virtualPort: 80,
      destAddress: "10.10.0.11",
      destPort: 80,
      template: false,
    });
    const templates = entries.filter((e) => e.template);
    expect(templates).toHaveLength(1);
    expect(templates[0]).toMatchObject({
      state: "ASSURED",
      clientAddress: "192.168.77.0",
      virtualPort: 8080,
    });
    const dr = parseConnectionTable(fixture("dr-Lnc.txt"));
    expect(dr.entries[0]).toMatchObject({ expires: 108, clientPort: 52898 });
  });

  it("summarises per service and destination with the same totals in both formats", () => {
    const a = summarizeConnections("ipvsadm", [fixture("mixed-Lnc.txt")]);
    const b = summarizeConnections("proc", [fixture("mixed-proc-ip_vs_conn.txt")]);
    expect(a.summary).toEqual(b.summary);
    const svc = a.summary.services.get("TCP 192.168.77.100:8080");
    expect(svc?.templates).toBe(1);
    expect(svc?.destinations.get("10.10.0.12:80")?.entries).toBe(svc?.entries);
    expect(a.summary.byState.get("FIN_WAIT")).toBe(
      parseConnectionTable(fixture("mixed-Lnc.txt")).entries.filter((e) => e.state === "FIN_WAIT")
        .length,
    );
  });

  it("gives the same result however the stream is chunked", () => {
    const text = fixture("dr-proc-conn.txt");
    const whole = summarizeConnections("proc", [text]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((x, y) => x - y);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(text.slice(prev, p));
          prev = p;
        }
        chunks.push(text.slice(prev));
        expect(summarizeConnections("proc", chunks)).toEqual(whole);
      }),
    );
  });

  it("reads IPv6 entries in both formats", () => {
    const lnc = parseConnectionTable(
      "TCP 00:59  ESTABLISHED [fd00::1]:40000     [fd00::200]:80     [fd00::11]:80\n",
    );
    const proc = parseProcIpVsConn(
      "TCP fd00:0000:0000:0000:0000:0000:0000:0001 9C40 fd00:0000:0000:0000:0000:0000:0000:0200 0050 fd00:0000:0000:0000:0000:0000:0000:0011 0050 ESTABLISHED      59\n",
    );
    expect(lnc.errors).toEqual([]);
    expect(proc.errors).toEqual([]);
    expect(lnc.entries.map(comparable)).toEqual(proc.entries.map(comparable));
    expect(proc.entries[0]?.virtualAddress).toBe("fd00::200");
  });

  it("reports malformed lines with their numbers and keeps going", () => {
    const text = `${fixture("nat-Lnc.txt")}TCP 01:xx  TIME_WAIT a:1 b:2 c:3\nnonsense\n`;
    const parser = new ConnectionTableParser("ipvsadm", { summarize: true });
    const r = parser.write(text).end();
    expect(r.entries).toBe(9);
    expect(r.errors.map((e) => e.line)).toEqual([12, 13]);
    expect(r.errors[0]?.reason).toMatch(/expire/);
    const proc = parseProcIpVsConn("TCP ZZZZZZZZ 0050 C0A84D64 0050 0A0A000B 0050 TIME_WAIT 1\n");
    expect(proc.errors[0]?.reason).toMatch(/hex address/);
  });
});
