// Long on purpose: one property, with the table and filter generators it needs and its edge cases.
// The director-side summary against the API's own path: the real awk program, run by the
// machine's awk (and by busybox awk and gawk when installed), over generated /proc/net/ip_vs_conn
// tables and the shared fixtures, must give what buildTicks (ConnectionTableParser here) gives:
// the same rows in the same order, the same matched counts, the same totals and bad-line count.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  canonicalAddress,
  type LiveFilterLike,
  parseConnectionSummary,
  renderConnectionSummaryScript,
} from "@lvs-panel/lvs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { buildTicks, type LiveFilter } from "./view.ts";

const fixtures = path.resolve(import.meta.dirname, "../../../../../../shared/fixtures/ipvsadm");
const fixture = (name: string) => readFileSync(path.join(fixtures, name), "utf8");
const fixtureNames = () => readdirSync(fixtures).filter((n) => n.endsWith(".txt"));

function which(cmd: string): string | null {
  try {
    return execFileSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

const machineAwk = existsSync("/usr/bin/awk") ? "/usr/bin/awk" : which("awk");
const busybox = which("busybox");
/** mawk or gawk by name, unless it is the machine's awk (tested already). */
function other(name: string): { argv: string[] | null; missing: string } {
  const found = which(name);
  if (!found) return { argv: null, missing: `${name} is not installed` };
  if (machineAwk && realpathSync(found) === realpathSync(machineAwk)) {
    return { argv: null, missing: `${name} is the machine awk, tested above` };
  }
  return { argv: [found], missing: "" };
}
const AWKS: { name: string; argv: string[] | null; missing: string }[] = [
  { name: "machine awk", argv: machineAwk ? [machineAwk] : null, missing: "no awk in PATH" },
  {
    name: "busybox awk",
    argv: busybox ? [busybox, "awk"] : null,
    missing: "busybox is not installed (apt-get install -y busybox)",
  },
  { name: "mawk", ...other("mawk") },
  { name: "gawk", ...other("gawk") },
];

const dir = mkdtempSync(path.join(tmpdir(), "conn-summary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

function runSummary(awk: string[], table: string, filters: readonly LiveFilterLike[]) {
  const file = path.join(dir, `t${fileNo++}.txt`);
  writeFileSync(file, table);
  const script = renderConnectionSummaryScript(filters, { path: file, awk });
  const out = execFileSync("sh", ["-c", script], { encoding: "utf8", maxBuffer: 1 << 26 });
  return parseConnectionSummary(out, filters.length);
}

function expectSameAsToday(awk: string[], table: string, filters: LiveFilter[]) {
  const got = runSummary(awk, table, filters);
  const reading = { connections: table, format: "proc" as const, list: "", stats: "", rates: "" };
  // A tick per filter; with none, one unfiltered watcher still gives the totals.
  const ticks = buildTicks({ ...reading, readMs: 0 }, filters.length ? filters : [{ limit: 0 }]);
  const today = ticks[0];
  expect(got.errors).toEqual([]);
  expect(got.totals).toEqual(today?.totals);
  // Same key order too: services, realservers and states as the parser lists them.
  expect(JSON.stringify(got.totals)).toBe(JSON.stringify(today?.totals));
  expect(got.tableErrors).toBe(today?.parseErrors);
  expect(got.filters).toHaveLength(filters.length);
  got.filters.forEach((f, i) => {
    expect({ filter: i, matched: f.matched }).toEqual({ filter: i, matched: ticks[i]?.matched });
    expect(f.rows).toEqual(ticks[i]?.rows);
  });
  return got;
}

// ---- Generated tables, in the kernel's format (ip_vs_conn_seq_show) ----

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, "0");

type Addr = { v: 4; n: number } | { v: 6; groups: number[] };

const v4 = fc
  .oneof(
    fc.constantFrom(0x0a0a000b, 0x0a0a000c, 0xc0a84d64, 0xc0a84d02, 0, 0xffffffff, 0x01020304),
    fc.integer({ min: 0, max: 0xffffffff }),
  )
  .map((n): Addr => ({ v: 4, n }));
// Zero runs of every length and place, so the RFC 5952 compression (longest, first on ties,
// never a single group) is exercised.
const group = fc.oneof(
  { weight: 5, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.constantFrom(1, 0xfd00, 0x200, 0xffff, 0x11, 0xabc, 0x1000) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
);
const v6 = fc
  .array(group, { minLength: 8, maxLength: 8 })
  .map((groups): Addr => ({ v: 6, groups }));
const addr = fc.oneof({ weight: 3, arbitrary: v4 }, { weight: 1, arbitrary: v6 });
const port = fc.oneof(
  fc.constantFrom(80, 443, 8080, 53, 1, 65535, 0x1f90),
  fc.integer({ min: 0, max: 65535 }),
);

function procAddr(a: Addr, lower: boolean): string {
  if (a.v === 4) {
    const h = hex(a.n, 8);
    return lower ? h.toLowerCase() : h;
  }
  // %pI6: eight groups of four lower-case hex digits.
  const text = a.groups.map((g) => hex(g, 4).toLowerCase()).join(":");
  return lower ? text : text.toUpperCase();
}

function textAddr(a: Addr): string {
  if (a.v === 4) return `${a.n >>> 24}.${(a.n >>> 16) & 255}.${(a.n >>> 8) & 255}.${a.n & 255}`;
  return canonicalAddress(a.groups.map((g) => g.toString(16)).join(":"));
}

function textEndpoint(a: Addr, p: number): string {
  return a.v === 6 ? `[${textAddr(a)}]:${p}` : `${textAddr(a)}:${p}`;
}

const STATES = [
  "ESTABLISHED",
  "TIME_WAIT",
  "FIN_WAIT",
  "SYN_RECV",
  "CLOSE_WAIT",
  "NONE",
  "ASSURED",
  "LAST_ACK",
  "CLOSE",
  "SYN_SENT",
  "LISTEN",
];

const service = fc.record({
  protocol: fc.constantFrom("TCP", "TCP", "UDP", "SCTP", "IP"),
  vip: addr,
  vport: port,
});
const realserver = fc.record({ rip: addr, rport: port });

/** `a` one time in ten, else `otherwise`. */
function rarely<T, U>(a: fc.Arbitrary<T>, otherwise: U): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(otherwise) }, { weight: 1, arbitrary: a });
}

/** Lines that are not entries: headers and blanks are skipped, the rest are errors. */
const junk = fc.constantFrom(
  "",
  "   ",
  "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData",
  "IPVS connection entries",
  "nonsense",
  "TCP ZZZZZZZZ 0050 C0A84D64 0050 0A0A000B 0050 TIME_WAIT 1",
  "TCP C0A84D02 0050 C0A84D64 0050 0A0A000B 0050 TIME_WAIT",
  "TCP C0A84D02 0050 C0A84D64 0050 0A0A000B 0050 TIME_WAIT 12a",
  "TCP C0A84D02 123456789 C0A84D64 0050 0A0A000B 0050 TIME_WAIT 1",
  "TCP C0A84D0 0050 C0A84D64 0050 0A0A000B 0050 TIME_WAIT 1",
  "TCP C0A84D02 0050 C0A84D64 00G0 0A0A000B 0050 TIME_WAIT 1",
  "TCP fd00:0000:0000:0000:0000:0000:0000:001 0050 C0A84D64 0050 0A0A000B 0050 X 1",
  "TCP fd00-0000-0000-0000-0000-0000-0000-0001 0050 C0A84D64 0050 0A0A000B 0050 X 1",
  " Pro FromIP is not a header with a blank first",
  // Control characters are no blanks to the parser (busybox awk splits at some by default).
  "TCP C0A84D02 CEA2 C0A84D64 0050 0A0A000B 0050 TIME\fWAIT 104",
  "TCP C0A84D02 CEA2 C0A84D64 0050 0A0A000B 0050 ESTAB\rLISHED 5 sip \v",
  "TCP\vC0A84D02 CEA2 C0A84D64 0050 0A0A000B 0050 TIME_WAIT 104",
  "TCP C0A84D02 CEA2\fC0A84D64 0050 0A0A000B 0050 TIME_WAIT 104 x",
);

const table = fc
  .record({
    services: fc.uniqueArray(service, {
      minLength: 1,
      maxLength: 4,
      selector: (s) => `${s.protocol} ${textEndpoint(s.vip, s.vport)}`,
    }),
    realservers: fc.uniqueArray(realserver, {
      minLength: 1,
      maxLength: 4,
      selector: (r) => textEndpoint(r.rip, r.rport),
    }),
    clients: fc.array(addr, { minLength: 1, maxLength: 6 }),
    lines: fc.array(
      fc.record({
        s: fc.nat(),
        r: fc.nat(),
        c: fc.nat(),
        cport: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: port }),
        state: fc.constantFrom(...STATES),
        expires: fc.oneof(fc.integer({ min: 0, max: 900 }), fc.nat()),
        pe: rarely(fc.constantFrom(" sip 1f2e3d", " sip -"), ""),
        lowerClient: fc.boolean(),
        // Blanks the parser tolerates around a line.
        lead: rarely(fc.constantFrom(" ", "\t", "  "), ""),
        trail: rarely(fc.constantFrom(" ", "\t "), ""),
        junk: rarely(junk, null),
      }),
      { maxLength: 80, size: "medium" },
    ),
    header: fc.boolean(),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map((t) => {
    const lines: string[] = [];
    if (t.header) {
      lines.push("Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData");
    }
    for (const l of t.lines) {
      if (l.junk !== null) {
        lines.push(l.junk);
        continue;
      }
      const s = t.services[l.s % t.services.length] as (typeof t.services)[number];
      const r = t.realservers[l.r % t.realservers.length] as (typeof t.realservers)[number];
      const c = t.clients[l.c % t.clients.length] as Addr;
      const fields = [
        s.protocol.padEnd(3),
        procAddr(c, l.lowerClient),
        l.lowerClient ? hex(l.cport, 4).toLowerCase() : hex(l.cport, 4),
        procAddr(s.vip, false),
        hex(s.vport, 4),
        procAddr(r.rip, false),
        hex(r.rport, 4),
        l.state.padEnd(11),
        String(l.expires).padStart(7),
      ];
      lines.push(`${l.lead}${fields.join(" ")}${l.pe}${l.trail}`);
    }
    const eol = t.crlf ? "\r\n" : "\n";
    const text = lines.join(eol) + (t.finalNewline && lines.length > 0 ? eol : "");
    const clientPorts = t.lines.map((l) => l.cport);
    return {
      text,
      services: t.services,
      realservers: t.realservers,
      clients: t.clients,
      clientPorts,
    };
  });

type Table = typeof table extends fc.Arbitrary<infer T> ? T : never;

/** Filters built from the table's own values, so they match often, plus a few that never do. */
function filtersFor(tbl: Table): fc.Arbitrary<LiveFilter[]> {
  const services = tbl.services.flatMap((s) => {
    const ep = textEndpoint(s.vip, s.vport);
    return [`${s.protocol} ${ep}`, ep, `  ${s.protocol} ${ep} `];
  });
  const realservers = tbl.realservers.map((r) => textEndpoint(r.rip, r.rport));
  const clients = tbl.clients.map(textAddr);
  // One client as address:port, with the ports the table's lines use (and one it may not).
  const clientEndpoints = tbl.clients.flatMap((c) => [
    textEndpoint(c, 80),
    textEndpoint(c, 0),
    ...tbl.clientPorts.slice(0, 4).map((p) => textEndpoint(c, p)),
  ]);
  // Each condition present a third of the time, so filters often match something.
  const some = <T>(a: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
  const filter: fc.Arbitrary<LiveFilter> = fc.record({
    service: some(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...services) },
        { weight: 1, arbitrary: fc.constantFrom("", "  ", "TCP 10.0.0.1:80", "tcp 1.2.3.4:5") },
      ),
    ),
    realserver: some(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...realservers) },
        { weight: 1, arbitrary: fc.constantFrom("", "10.10.0.99:80", "[::1]:80") },
      ),
    ),
    state: some(fc.constantFrom("", ...STATES, "NOPE")),
    client: some(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .tuple(fc.constantFrom(...clients), fc.nat())
            .map(([c, n]) => c.slice(0, 1 + (n % c.length))),
        },
        { weight: 2, arbitrary: fc.constantFrom(...clientEndpoints) },
        { weight: 1, arbitrary: fc.constantFrom("", "fd", "::", "1", "300.", "FD", "[::1]:80") },
      ),
    ),
    templates: fc.option(fc.boolean(), { nil: undefined }),
    limit: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 8 }) },
      { weight: 1, arbitrary: fc.constant(500) },
    ),
  });
  return fc.array(filter, { maxLength: 9 });
}

const runs = { numRuns: Number(process.env.CS_RUNS ?? 60) };

describe.each(AWKS)("the summary by $name", ({ name, argv, missing }) => {
  if (!argv) {
    it.skip(`${name}: ${missing}`, () => {});
    return;
  }
  it("equals today's path on generated tables and filters", () => {
    fc.assert(
      fc.property(
        table.chain((tbl) => fc.tuple(fc.constant(tbl), filtersFor(tbl))),
        ([tbl, filters]) => {
          expectSameAsToday(argv, tbl.text, filters);
        },
      ),
      runs,
    );
  }, 120_000);

  it("equals today's path on the shared fixtures", () => {
    const names = fixtureNames().filter((n) => n.includes("proc"));
    expect(names.length).toBeGreaterThan(0);
    const filters: LiveFilter[] = [
      { limit: 500 },
      { limit: 3, templates: true },
      { service: "TCP 192.168.77.100:8080", templates: true, limit: 5 },
      { service: "192.168.77.100:80", state: "TIME_WAIT", limit: 4 },
      { realserver: "10.10.0.12:80", limit: 0 },
      { client: "10.10.", state: "FIN_WAIT", limit: 2 },
      { client: "192.168.77.0", templates: true, limit: 10 },
      { client: "192.168.77.2:52898", limit: 10 },
      { client: "192.168.77.2:0", templates: true, limit: 10 },
    ];
    for (const n of names) {
      const got = expectSameAsToday(argv, fixture(n), filters);
      expect(got.totals.entries).toBeGreaterThan(0);
      expectSameAsToday(argv, fixture(n), []);
    }
  });

  it("equals today's path on an empty table and a missing final newline", () => {
    expectSameAsToday(argv, "", [{ limit: 5 }]);
    expectSameAsToday(
      argv,
      "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n",
      [{ limit: 5 }, { state: "ESTABLISHED", limit: 0 }],
    );
    expectSameAsToday(argv, "TCP C0A84D02 CEA2 C0A84D64 0050 0A0A000B 0050 TIME_WAIT       104", [
      { limit: 5 },
    ]);
  });

  it("writes IPv6 as the parser does", () => {
    const zero = "0000:0000:0000:0000:0000:0000:0000:0000";
    const vip = "fd00:0000:0000:0000:0000:0000:0000:0200";
    const rows = [
      `TCP ${zero} 9C40 ${vip} 0050 ${zero.slice(0, -1)}1 0050 ESTABLISHED 59`,
      `TCP 0001:0000:0000:0002:0000:0000:0003:0004 9C40 ${vip} 0050 0001:0000:0002:0003:0004:0005:0006:0007 01BB SYN_RECV 1`,
      `UDP 0000:0000:0001:0000:0000:0002:0000:0003 0000 ${vip} 0035 FD00:0000:0000:0000:0000:0000:0000:0000 0035 NONE 7`,
      `TCP 0000:0000:0000:0000:0000:ffff:0a0a:000b 9C40 ${vip} 0050 0A0A000B 0050 ESTABLISHED 59`,
    ];
    const got = expectSameAsToday(argv, `${rows.join("\n")}\n`, [{ limit: 9, templates: true }]);
    // Every prefix of every client's text (the awk decides most from the first groups).
    const clients = [
      "2001:0db8:0003:0000:0001:0000:0000:0002",
      "2001:0db8:0000:0000:0001:0000:0000:0000",
      "2001:0db8:0000:0001:0000:0000:0000:0002",
      "2001:0db8:0003:0000:0000:0000:0000:0002",
      "0000:0000:0001:0000:0000:0000:0000:0002",
      "0000:0001:0000:0000:0000:0001:0000:0000",
      "fd00:0000:0000:0000:0000:0000:0000:0000",
      "0001:0002:0003:0004:0005:0006:0007:0008",
      "0001:0002:0003:0000:0000:0006:0007:0008",
      "C0A8:4D02:0000:0000:0000:0000:0000:0000",
      zero,
    ];
    const table = clients
      .map((c) => `TCP ${c} 9C40 ${vip} 0050 ${vip} 0050 ESTABLISHED 59\n`)
      .join("");
    const prefixes = new Set(
      clients.flatMap((c) => {
        const text = canonicalAddress(c);
        return Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1));
      }),
    );
    expectSameAsToday(
      argv,
      table,
      [...prefixes].map((client) => ({ client, limit: 1 })),
    );
    // And each client as [address]:port, the port its line has and one it has not.
    const endpoints = clients.flatMap((c) => {
      const text = canonicalAddress(c);
      return [`[${text}]:40000`, `[${text.toUpperCase()}]:40000`, `[${text}]:40001`];
    });
    const byEndpoint = expectSameAsToday(
      argv,
      table,
      endpoints.map((client) => ({ client, limit: 1 })),
    );
    expect(byEndpoint.filters.map((f) => f.matched)).toEqual(clients.flatMap(() => [1, 1, 0]));
    expect(got.filters[0]?.rows.map((r) => [r.client, r.realserver])).toEqual([
      ["[::]:40000", "[::1]:80"],
      ["[1::2:0:0:3:4]:40000", "[1:0:2:3:4:5:6:7]:443"],
      ["[::1:0:0:2:0:3]:0", "[fd00::]:53"],
      ["[::ffff:a0a:b]:40000", "10.10.0.11:80"],
    ]);
  });
});
