import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { generateProc } from "../../bench/generate.ts";
import { lexShell, SHELL_ACTIVE } from "../../test/shell-lexer.ts";
import { parseClientFilter } from "../live-client-filter.ts";
import { parseConnectionSummary } from "../parse/conn-summary.ts";
import {
  CONN_SUMMARY_TABLE,
  connectionSummaryFilterProblem,
  type LiveFilterLike,
  renderConnectionSummaryScript,
} from "./conn-summary-awk.ts";

const AWK = existsSync("/usr/bin/awk") ? "/usr/bin/awk" : "awk";
const dir = mkdtempSync(path.join(tmpdir(), "conn-summary-awk-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string): string {
  return execFileSync("sh", ["-c", script], { encoding: "utf8", maxBuffer: 1 << 26 });
}

/** The words of the one command the script is, and the -v assignments among them. */
function words(script: string) {
  const lexed = lexShell(script);
  expect(lexed.commands).toHaveLength(1);
  expect(lexed.unquoted).not.toMatch(SHELL_ACTIVE);
  const argv = lexed.commands[0] as string[];
  const vars = new Map<string, string>();
  argv.forEach((w, i) => {
    if (argv[i - 1] !== "-v") return;
    const eq = w.indexOf("=");
    vars.set(w.slice(0, eq), w.slice(eq + 1));
  });
  return { argv, vars };
}

describe("renderConnectionSummaryScript", () => {
  it("reads /proc/net/ip_vs_conn with the awk in PATH, in the C locale", () => {
    const { argv } = words(renderConnectionSummaryScript([{ limit: 10 }]));
    expect(argv[0]).toBe("LC_ALL=C");
    expect(argv[1]).toBe("awk");
    expect(argv.at(-1)).toBe(CONN_SUMMARY_TABLE);
    const other = words(
      renderConnectionSummaryScript([], { awk: ["busybox", "awk"], path: "/tmp/t" }),
    ).argv;
    expect(other.slice(1, 3)).toEqual(["busybox", "awk"]);
    expect(other.at(-1)).toBe("/tmp/t");
  });

  it("hands filter values to awk as -v words only, never in the program", () => {
    const filter = {
      service: "  TCP 10.0.0.1:80 ",
      realserver: "[fd00::11]:80",
      state: "ESTABLISHED",
      client: "192.168.77.",
      limit: 5,
    };
    const { argv, vars } = words(renderConnectionSummaryScript([filter, { limit: 0 }]));
    expect(Object.fromEntries(vars)).toEqual({
      Vp1: "TCP",
      Vs1: "10.0.0.1:80",
      Vr1: "[fd00::11]:80",
      Vt1: "ESTABLISHED",
      Vc1: "192.168.77.",
    });
    const program = argv.at(-2) as string;
    for (const value of ["10.0.0.1", "fd00", "ESTABLISHED", "192.168"]) {
      expect(program).not.toContain(value);
    }
  });

  it("quotes any value it accepts, and awk runs with it", () => {
    const table = path.join(dir, "fixture.txt");
    writeFileSync(table, "TCP C0A84D02 CEA2 C0A84D64 0050 0A0A000B 0050 TIME_WAIT 104\n");
    const text = fc.string({
      unit: fc.constantFrom(..." '\"$`;&|<>(){}*?![]~#%=-:.aZ09"),
      maxLength: 30,
    });
    fc.assert(
      fc.property(text, text, text, (service, realserver, client) => {
        const filters = [{ service, realserver, client, limit: 3 }];
        const script = renderConnectionSummaryScript(filters, { path: table, awk: [AWK] });
        const { vars } = words(script);
        // A client's text goes as written, but for a client:port (its address) or IPv6 case.
        const parsed = parseClientFilter(client);
        const sent =
          !parsed.ok || !parsed.filter
            ? client
            : parsed.filter.kind === "prefix"
              ? parsed.filter.prefix
              : parsed.filter.address;
        if (client) expect(vars.get("Vc1")).toBe(sent);
        if (realserver) expect(vars.get("Vr1")).toBe(realserver);
        const got = parseConnectionSummary(run(script), 1);
        expect(got.errors).toEqual([]);
        expect(got.totals.entries).toBe(1);
      }),
      { numRuns: 40 },
    );
  });

  it("hands a client:port to awk as its address and port", () => {
    const { vars } = words(
      renderConnectionSummaryScript([
        { client: "192.168.77.5:43512", limit: 5 },
        { client: "[FD00::5]:80", limit: 5 },
      ]),
    );
    expect(Object.fromEntries(vars)).toEqual({
      Vc1: "192.168.77.5",
      Vq1: "43512",
      Vc2: "fd00::5",
      Vq2: "80",
    });
  });

  it("refuses what the API would not send", () => {
    const bad: [LiveFilterLike, RegExp][] = [
      [{ limit: -1 }, /limit/],
      [{ limit: 1.5 }, /limit/],
      [{ limit: 5001 }, /limit/],
      [{ limit: 1, service: "TCP 10.0.0.1:80\\n" }, /backslash/],
      [{ limit: 1, client: "10.\n" }, /printable/],
      [{ limit: 1, realserver: "10.0.0.1:80\t" }, /printable/],
      [{ limit: 1, client: "é" }, /printable/],
      [{ limit: 1, realserver: "x".repeat(81) }, /too long/],
      [{ limit: 1, state: "established" }, /IPVS state/],
      [{ limit: 1, templates: "yes" as unknown as boolean }, /templates/],
    ];
    for (const [filter, message] of bad) {
      expect(connectionSummaryFilterProblem(filter)).toMatch(message);
      expect(() => renderConnectionSummaryScript([{ limit: 1 }, filter])).toThrow(
        /live filter 2: /,
      );
    }
    expect(connectionSummaryFilterProblem({ limit: 5000, service: " TCP 1.2.3.4:80\t" })).toBe(
      null,
    );
  });
});

describe("the summary's size", () => {
  const ipv4 = path.join(dir, "v4.txt");
  writeFileSync(ipv4, generateProc(100_000).join(""));

  it("is bounded by the rows asked for, not by the table", () => {
    const filters = [
      { state: "TIME_WAIT", limit: 500 },
      { state: "ESTABLISHED", limit: 500 },
      { client: "192.168.2", state: "FIN_WAIT", limit: 500 },
    ];
    const out = run(renderConnectionSummaryScript(filters, { path: ipv4, awk: [AWK] }));
    const got = parseConnectionSummary(out, 3);
    expect(got.errors).toEqual([]);
    expect(got.totals.entries).toBe(100_000);
    expect(got.filters.map((f) => f.rows.length)).toEqual([500, 500, 500]);
    expect(out.split("\n").filter((l) => l.startsWith("r ")).length).toBe(1500);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(64 * 1024);
  });

  it("stays under 64 KB for 500 rows of the longest IPv6 text", () => {
    const v6 = "fd01:fd02:fd03:fd04:fd05:fd06:fd07";
    const states = ["ESTABLISHED", "TIME_WAIT", "FIN_WAIT"];
    const lines = Array.from({ length: 2000 }, (_, i) => {
      const client = `${v6}:${(0x1000 + i).toString(16)}`;
      const state = states[i % 3];
      return `TCP ${client} FFFF ${v6}:0200 FFFF ${v6}:0011 FFFF ${state} 2147483647`;
    });
    const file = path.join(dir, "v6.txt");
    writeFileSync(file, `${lines.join("\n")}\n`);
    // Disjoint filters: 500 different rows.
    const filters = states.map((state, i) => ({ state, limit: [250, 150, 100][i] as number }));
    const out = run(renderConnectionSummaryScript(filters, { path: file, awk: [AWK] }));
    const got = parseConnectionSummary(out, 3);
    expect(got.errors).toEqual([]);
    expect(got.filters[0]?.rows[0]?.client).toBe(`[${v6}:1000]:65535`);
    expect(out.split("\n").filter((l) => l.startsWith("r ")).length).toBe(500);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(64 * 1024);
  });
});
