// The live view's connection table, summarised ON THE DIRECTOR: one awk pass over
// /proc/net/ip_vs_conn counts every entry (by state, service and realserver) and keeps, for each
// watcher's filter, its matched count and its first `limit` rows. What crosses SSH is then bounded
// by the rows asked for and the number of services × realservers, not by the table (a million
// entries are ~80 MB of text; their summary is a few KB).
//
// The program is portable awk (mawk, busybox, gawk): no strtonum/gensub, no bit operations, no
// `^` (busybox without libm refuses it), no {n} repetitions. It accepts and rejects lines exactly
// as ConnectionTableParser("proc") does and writes addresses as it does (dotted IPv4, RFC 5952
// IPv6 in brackets when followed by a port), so parseConnectionSummary gives what buildTicks did.
//
// Filter values reach awk only as `-v` assignments, each quoted for the shell by quoteShellArg and
// validated first: printable ASCII without a backslash (the one character `-v` interprets), so
// the value awk sees is the value given. The program text depends on which conditions each filter
// has and on its (integer) limit, never on the text of a value.
import { parseClientFilter } from "../live-client-filter.ts";
import { argvToShell } from "./shell-quote.ts";

/** What a watcher asks of the table; the shape of the API's LiveFilter. */
export interface LiveFilterLike {
  /** "TCP 10.0.0.1:80" (protocol and VIP:port) or "10.0.0.1:80"; trimmed. */
  service?: string | undefined;
  /** "10.10.0.11:80", "[fd00::11]:80" */
  realserver?: string | undefined;
  /** An IPVS state such as ESTABLISHED. */
  state?: string | undefined;
  /** The start of the client's address ("192.168.77.") or one client ("192.168.77.5:43512",
   *  "[fd00::5]:43512"): parseClientFilter's text. Other text matches nothing. */
  client?: string | undefined;
  /** Whether persistence templates match too (they never do otherwise). */
  templates?: boolean | undefined;
  /** Most rows returned; `matched` and the totals always cover the whole table. */
  limit: number;
}

export interface ConnectionSummaryScriptOptions {
  /** The table to read; "/proc/net/ip_vs_conn" unless a test points elsewhere. */
  path?: string;
  /** The awk to run, as argv: ["awk"] (from PATH) by default, e.g. ["busybox", "awk"]. */
  awk?: readonly string[];
}

export const CONN_SUMMARY_TABLE = "/proc/net/ip_vs_conn";
/** First word of the output's first line, followed by the format version and the filter count. */
export const CONN_SUMMARY_MAGIC = "ipvs-conn-summary";
export const CONN_SUMMARY_VERSION = 1;
/** liveQuerySchema's bounds: the renderer refuses what the API would not accept. */
export const CONN_SUMMARY_MAX_LIMIT = 5000;
const MAX_LENGTH = { service: 80, realserver: 80, client: 64, state: 20 } as const;

// Printable ASCII without "\": what awk -v hands over unchanged on every awk.
const PLAIN_TEXT = /^[\x20-\x5b\x5d-\x7e]*$/;
const STATE = /^[A-Z_]*$/;

/** Why the renderer would refuse this filter, or null when it is fine. */
export function connectionSummaryFilterProblem(f: LiveFilterLike): string | null {
  if (!Number.isInteger(f.limit) || f.limit < 0 || f.limit > CONN_SUMMARY_MAX_LIMIT) {
    return `limit must be an integer from 0 to ${CONN_SUMMARY_MAX_LIMIT}`;
  }
  if (f.templates !== undefined && typeof f.templates !== "boolean") {
    return "templates must be true or false";
  }
  const texts = {
    service: typeof f.service === "string" ? f.service.trim() : f.service,
    realserver: f.realserver,
    client: f.client,
    state: f.state,
  };
  for (const [name, value] of Object.entries(texts)) {
    if (value === undefined) continue;
    if (typeof value !== "string") return `${name} must be text`;
    if (value.length > MAX_LENGTH[name as keyof typeof MAX_LENGTH]) return `${name} is too long`;
    if (!PLAIN_TEXT.test(value)) {
      return `${name} may hold only printable ASCII characters other than a backslash`;
    }
  }
  if (f.state !== undefined && !STATE.test(f.state)) {
    return "state must be an IPVS state such as ESTABLISHED";
  }
  return null;
}

// One hex digit, one IPv6 address as the kernel's %pI6 writes it (8 groups of 4, colons).
const HEX = "[0-9A-Fa-f]";
const V6_REGEX = `/^${Array.from({ length: 8 }, () => HEX.repeat(4)).join(":")}$/`;

/** Functions and the parts of the program that do not depend on the filters. */
const FUNCTIONS = `
function hx(s,   n, i, l) {
  n = 0; l = length(s)
  for (i = 1; i <= l; i++) n = n * 16 + HV[substr(s, i, 1)]
  return n
}
function aok(a) {
  if (length(a) == 8) return a !~ /[^0-9A-Fa-f]/
  return length(a) == 39 && a ~ ${V6_REGEX}
}
function pok(s) {
  return length(s) >= 1 && length(s) <= 8 && s !~ /[^0-9A-Fa-f]/
}
# RFC 5952 text of %pI6: lower case, no leading zeros, the longest run (2 or more) of zero
# groups as "::", the first of equally long runs. Each group text is looked up (bounded cache).
function v6(a,   i, h, g, run, best, at, s) {
  run = 0; best = 1; at = -1
  for (i = 0; i < 8; i++) {
    if ((g = GT[h = substr(a, i * 5 + 1, 4)]) == "") g = group(h)
    if (g == "0") { if (++run > best) { best = run; at = i - run + 1 } } else run = 0
    G[i] = g
  }
  if (at < 0) return G[0] ":" G[1] ":" G[2] ":" G[3] ":" G[4] ":" G[5] ":" G[6] ":" G[7]
  s = ""
  for (i = 0; i < at; i++) s = s (i ? ":" : "") G[i]
  s = s "::"
  for (i = at + best; i < 8; i++) s = s (i > at + best ? ":" : "") G[i]
  return s
}
function group(h,   g) {
  if (++ngt > 65536) { split("", GT); ngt = 1 }
  g = tolower(h)
  sub(/^0+/, "", g)
  return GT[h] = (g == "" ? "0" : g)
}
# IPv4 text through a cache of the first three bytes' text (clients cluster in /24s), bounded.
function caddr(a,   s, t) {
  if (length(a) != 8) return v6(a)
  if ((t = C24[s = substr(a, 1, 6)]) == "") {
    if (++nc24 > 65536) { split("", C24); nc24 = 1 }
    t = C24[s] = H2[substr(a, 1, 2)] "." H2[substr(a, 3, 2)] "." H2[substr(a, 5, 2)] "."
  }
  return t H2[substr(a, 7, 2)]
}
# Whether the text of the IPv6 client $2 starts with p, decided from its first five groups when
# that can be, cached in D per five groups: 1 no, 2 yes, 3 the whole text decides. Up to the
# first run of zero groups that "::" could replace (or the fifth group), the text is certain:
# each group and a colon. Where such a run starts the text goes on with "0" or ":".
function v6has(D, i, p,   k, d, j, h, g, s, t) {
  if (++NV6D[i] > 65536) { split("", D); NV6D[i] = 1 }
  k = substr($2, 1, 24)
  for (j = 0; j < 5; j++) { if ((g = GT[h = substr(k, j * 5 + 1, 4)]) == "") g = group(h); W[j] = g }
  for (s = 0; s < 4; s++) if (W[s] == "0" && W[s + 1] == "0") break
  t = ""
  for (j = 0; j < s; j++) t = t W[j] ":"
  if (length(p) <= length(t)) d = substr(t, 1, length(p)) == p ? 2 : 1
  else if (substr(p, 1, length(t)) != t) d = 1
  else if (s < 4 && (h = substr(p, length(t) + 1, 1)) != "0" && h != ":") d = 1
  else d = 3
  D[k] = d
  return d < 3 ? d == 2 : v6text(p)
}
function v6text(p) {
  if (ct == "") ct = caddr($2)
  return index(ct, p) == 1
}
function ep(a, p) {
  return (length(a) == 8 ? caddr(a) : "[" v6(a) "]") ":" sprintf("%.0f", hx(p))
}
# Not an entry: a blank or header line is skipped, anything else is a parse error. A line that
# only needs the tolerance of the parser (CR at the end, blanks first) is read again without it.
function fix(   s) {
  s = $0
  sub(/\\r$/, "", s)
  if (substr(s, 1, 15) == "IPVS connection" || substr(s, 1, 10) == "pro expire" || substr(s, 1, 10) == "Pro FromIP") return
  sub(/^[ \\t]+/, "", s)
  if (s == "") return
  if (s != $0) { split0(s); if (ent()) return }
  E++
}
# Fields are split at blanks and tabs only, as the parser does. The default splitting of busybox
# awk also cuts at CR, VT and FF, so a line holding one is split by a regex instead (rare: slower).
function split0(s) {
  if (XS && s ~ /[\\r\\v\\f]/) { FS = "[ \\t]+"; $0 = s; FS = " " } else $0 = s
}
`;

interface Compiled {
  /** -v assignments, name → value. */
  vars: [string, string][];
  /** Lines added to pair(): which filters a (service, realserver) pair satisfies. */
  pairFlags: string[];
  /** Per-entry test of each filter, in the entry function. */
  tests: string[];
}

function compile(filters: readonly LiveFilterLike[]): Compiled {
  const out: Compiled = { vars: [], pairFlags: [], tests: [] };
  filters.forEach((f, index) => {
    const i = index + 1;
    const service = f.service?.trim() || "";
    const pairConds: string[] = [];
    if (service) {
      const space = service.indexOf(" ");
      if (space >= 0) {
        out.vars.push([`Vp${i}`, service.slice(0, space)], [`Vs${i}`, service.slice(space + 1)]);
        pairConds.push(`PP[n] "" == Vp${i}`, `PV[n] == Vs${i}`);
      } else {
        out.vars.push([`Vs${i}`, service]);
        pairConds.push(`PV[n] == Vs${i}`);
      }
    }
    if (f.realserver) {
      out.vars.push([`Vr${i}`, f.realserver]);
      pairConds.push(`PD[n] == Vr${i}`);
    }
    const conds: string[] = [];
    if (pairConds.length > 0) {
      out.pairFlags.push(`  F${i}[n] = (${pairConds.join(" && ")})`);
      conds.push(`F${i}[ki]`);
    }
    if (!f.templates) conds.push("nt");
    if (f.state) {
      out.vars.push([`Vt${i}`, f.state]);
      conds.push(`$8 == Vt${i}`);
    }
    if (f.client) {
      const parsed = parseClientFilter(f.client);
      const client = parsed.ok ? parsed.filter : null;
      if (client?.kind === "endpoint") {
        // One client: its port first (a number, cheap), then its address text.
        out.vars.push([`Vc${i}`, client.address], [`Vq${i}`, String(client.port)]);
        const family = client.family === 4 ? "length($2) == 8" : "length($2) != 8";
        conds.push(
          `${family} && hx($3) == Vq${i} + 0 && (ct != "" || (ct = caddr($2)) != "") && ct == Vc${i}`,
        );
      } else {
        // Text that is no client filter (the API refuses it) matches nothing, as it always did.
        const prefix = client?.prefix ?? f.client;
        out.vars.push([`Vc${i}`, prefix]);
        // IPv4 text holds only digits and dots, IPv6 text only hex digits and colons: a prefix
        // that fits one family skips the other without writing its text.
        const v4 = client !== null && /^[0-9.]*$/.test(prefix);
        const v6 = client !== null && /^[0-9a-f:]*$/.test(prefix);
        const v4test = `(ct != "" || (ct = caddr($2)) != "") && index(ct, Vc${i}) == 1`;
        const v6test = `((d = V6D${i}[substr($2, 1, 24)]) ? (d < 3 ? d == 2 : v6text(Vc${i})) : v6has(V6D${i}, ${i}, Vc${i}))`;
        if (v4 && v6) conds.push(`(length($2) == 8 ? ${v4test} : ${v6test})`);
        else if (v4) conds.push(`length($2) == 8 && ${v4test}`);
        else if (v6) conds.push(`length($2) != 8 && ${v6test}`);
        else conds.push("0");
      }
    }
    const group = Math.floor(index / 4) + 1;
    const bit = 1 << (index % 4);
    const body = f.limit > 0 ? `if (++M${i} <= ${f.limit}) m${group} += ${bit}` : `M${i}++`;
    out.tests.push(conds.length > 0 ? `  if (${conds.join(" && ")}) ${body}` : `  ${body}`);
  });
  return out;
}

/**
 * Shell text running ONE awk pass over the connection table for all filters at once. Its output
 * (parseConnectionSummary reads it), one record per line, fields separated by one space:
 *
 *   ipvs-conn-summary 1 <K>                       first line: format version, filter count
 *   r <mask> <pair> <state#> <expires> <client>   a row, in table order (see below)
 *   t <entries> <templates> <bad lines>           totals; bad lines = today's parseErrors
 *   s <state#> <state> <entries>                  per state, in first-seen order
 *   p <pair#> <proto> <virtual> <realserver> <entries>   per (service, realserver) pair
 *   m <filter#> <matched>                         per filter, 1-based
 *   end
 *
 * A row is sent once however many filters want it: <mask> has one hex digit per 4 filters (the
 * first digit's bit 1 is filter 1, bit 8 filter 4, the second digit's bit 1 filter 5, ...).
 * <pair> and <state#> point at the `p` and `s` lines written at the end; <client> is "addr:port"
 * ("[v6]:port"), a client port of 0 marking a persistence template. Throws on a filter that
 * connectionSummaryFilterProblem refuses.
 */
export function renderConnectionSummaryScript(
  filters: readonly LiveFilterLike[],
  opts: ConnectionSummaryScriptOptions = {},
): string {
  filters.forEach((f, i) => {
    const problem = connectionSummaryFilterProblem(f);
    if (problem) throw new Error(`live filter ${i + 1}: ${problem}`);
  });
  const { vars, pairFlags, tests } = compile(filters);
  const groups = Math.ceil(filters.length / 4);
  const masks = Array.from({ length: groups }, (_, g) => `m${g + 1}`);
  const rows = filters.some((f) => f.limit > 0);
  const program = [
    "BEGIN {",
    '  SUBSEP = " "',
    '  XS = split("a\\rb\\vc\\fd", T) > 1',
    '  for (I = 0; I < 16; I++) { J = substr("0123456789abcdef", I + 1, 1); HV[J] = I; HV[toupper(J)] = I }',
    "  for (I in HV) for (J in HV) H2[I J] = HV[I] * 16 + HV[J]",
    '  HS = "0123456789abcdef"',
    `  print "${CONN_SUMMARY_MAGIC}", ${CONN_SUMMARY_VERSION}, ${filters.length}`,
    "}",
    FUNCTIONS,
    "# A (protocol, virtual, realserver) seen for the first time: checked, written out once. A",
    "# bad one is not kept (a table of garbage must not grow the array).",
    "function pair(   n) {",
    "  if (!aok($4) || !pok($5) || !aok($6) || !pok($7)) { delete KI[$1, $4, $5, $6, $7]; return -1 }",
    "  n = ++np; PP[n] = $1; PV[n] = ep($4, $5); PD[n] = ep($6, $7)",
    ...pairFlags,
    "  return KI[$1, $4, $5, $6, $7] = n",
    "}",
    "# One line: 1 when it is an entry (counted, filtered), 0 when it is not. nt: not a template",
    "# (client port not 0).",
    "function ent(   ki, nt, d) {",
    '  if (NF < 9 || $1 == "") return 0',
    '  if ((ki = KI[$1, $4, $5, $6, $7]) == "") ki = pair()',
    "  if (ki < 0 || length($3) > 8 || $3 ~ /[^0-9A-Fa-f]/ || $9 !~ /^[0-9]+$/) return 0",
    "  if (length($2) == 8) { if ($2 ~ /[^0-9A-Fa-f]/) return 0 }",
    `  else if (length($2) != 39 || $2 !~ ${V6_REGEX}) return 0`,
    "  if (!(nt = $3 ~ /[1-9A-Fa-f]/)) TP++",
    "  if (!SC[$8]++) { SN[++ns] = $8; SX[$8] = ns }",
    "  if (!PC[ki]++) PO[++npo] = ki",
    ...(rows ? [`  ct = ""; ${masks.map((m) => `${m} = 0`).join("; ")}`] : ['  ct = ""']),
    ...tests,
    ...(rows
      ? [
          `  if (${masks.join(" || ")}) {`,
          '    if (ct == "") ct = caddr($2)',
          `    print "r", ${masks.map((m) => `substr(HS, ${m} + 1, 1)`).join(" ")}, ki, SX[$8], $9, (length($2) == 8 ? ct : "[" ct "]") ":" sprintf("%.0f", hx($3))`,
          "  }",
        ]
      : []),
    "  return 1",
    "}",
    "{",
    "  if (XS && $0 ~ /[\\r\\v\\f]/) split0($0)",
    "  if (!ent()) fix()",
    "}",
    "END {",
    "  for (I = 1; I <= npo; I++) N += PC[PO[I]]",
    '  printf "t %.0f %.0f %.0f\\n", N, TP, E',
    '  for (I = 1; I <= ns; I++) printf "s %d %s %.0f\\n", I, SN[I], SC[SN[I]]',
    '  for (I = 1; I <= npo; I++) { J = PO[I]; printf "p %d %s %s %s %.0f\\n", J, PP[J], PV[J], PD[J], PC[J] }',
    ...filters.map((_, i) => `  printf "m ${i + 1} %.0f\\n", M${i + 1}`),
    '  print "end"',
    "}",
  ].join("\n");
  const argv = [
    ...(opts.awk ?? ["awk"]),
    ...vars.flatMap(([name, value]) => ["-v", `${name}=${value}`]),
    program,
    opts.path ?? CONN_SUMMARY_TABLE,
  ];
  // C locale: byte comparisons and [A-F] ranges mean the same on every awk, and gawk runs faster.
  return `LC_ALL=C ${argvToShell(argv)}`;
}
