// Reads what renderConnectionSummaryScript's awk wrote on the director back into the live view's
// shapes: the totals of the whole table (LiveTotals), and per filter its matched count and rows
// (LiveRow). Pure. The line format is described at renderConnectionSummaryScript.
import { parseEndpoint } from "../address.ts";
import { liveServiceKey } from "../live-service-key.ts";
import { CONN_SUMMARY_MAGIC, CONN_SUMMARY_VERSION } from "../render/conn-summary-awk.ts";

/** One connection-table entry as the live view shows it (the contract's LiveRow). */
export interface ConnSummaryRow {
  protocol: string;
  state: string;
  expires: number;
  /** "addr:port", "[v6]:port" */
  client: string;
  virtual: string;
  realserver: string;
  template: boolean;
}

/** The whole table's counts (the contract's LiveTotals). */
export interface ConnSummaryTotals {
  entries: number;
  templates: number;
  byState: Record<string, number>;
  /** "TCP vip:port" → entries, and by realserver "rip:port". */
  services: Record<string, { entries: number; realservers: Record<string, number> }>;
}

export interface ConnSummaryFilterResult {
  /** Entries matching the filter in the whole table. */
  matched: number;
  /** The first `limit` of them, in table order. */
  rows: ConnSummaryRow[];
}

export interface ConnSummaryResult {
  totals: ConnSummaryTotals;
  /** One per filter given to the renderer, in that order. */
  filters: ConnSummaryFilterResult[];
  /** Lines of the table that were not entries (today's `parseErrors`). */
  tableErrors: number;
  /** What is wrong with the summary itself (cut short, unknown lines): empty when it is whole. */
  errors: string[];
}

interface Pair {
  protocol: string;
  virtual: string;
  /** liveServiceKey of protocol and virtual: what totals.services is keyed by. */
  service: string;
  realserver: string;
  entries: number;
}

const COUNT = /^\d+$/;
const MAX_ERRORS = 20;

export function parseConnectionSummary(text: string, filterCount: number): ConnSummaryResult {
  const errors: string[] = [];
  let moreErrors = 0;
  const fail = (lineNo: number, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push(`line ${lineNo}: ${message}`);
    else moreErrors++;
  };
  const pairs = new Map<number, Pair>();
  const pairOrder: Pair[] = [];
  const states = new Map<number, string>();
  const byState = new Map<string, number>();
  const matched: (number | undefined)[] = new Array(filterCount).fill(undefined);
  // Rows wait for the tables they point at, which come at the end.
  const rawRows: { lineNo: number; mask: string; pair: number; state: number; fields: string[] }[] =
    [];
  let totals: { entries: number; templates: number; errors: number } | null = null;
  let header = false;
  let ended = false;

  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] as string;
    const lineNo = index + 1;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "") continue;
    if (ended) {
      fail(lineNo, "text after the end");
      continue;
    }
    const f = line.split(" ");
    if (!header) {
      if (f[0] !== CONN_SUMMARY_MAGIC) {
        fail(lineNo, "not a connection summary");
        ended = true;
        continue;
      }
      header = true;
      if (f[1] !== String(CONN_SUMMARY_VERSION)) fail(lineNo, `unknown version ${f[1]}`);
      if (f[2] !== String(filterCount)) {
        fail(lineNo, `summary of ${f[2]} filters, ${filterCount} expected`);
      }
      continue;
    }
    switch (f[0]) {
      case "r": {
        const [, mask = "", pair = "", state = "", expires = "", client = ""] = f;
        if (
          f.length !== 6 ||
          !/^[0-9a-f]+$/.test(mask) ||
          !COUNT.test(pair) ||
          !COUNT.test(state) ||
          !COUNT.test(expires) ||
          client === ""
        ) {
          fail(lineNo, "bad row");
          continue;
        }
        rawRows.push({ lineNo, mask, pair: Number(pair), state: Number(state), fields: f });
        continue;
      }
      case "t": {
        if (f.length !== 4 || !f.slice(1).every((x) => COUNT.test(x))) {
          fail(lineNo, "bad totals");
          continue;
        }
        totals = { entries: Number(f[1]), templates: Number(f[2]), errors: Number(f[3]) };
        continue;
      }
      case "s": {
        const [, index = "", state = "", count = ""] = f;
        if (f.length !== 4 || !COUNT.test(index) || state === "" || !COUNT.test(count)) {
          fail(lineNo, "bad state count");
          continue;
        }
        states.set(Number(index), state);
        byState.set(state, (byState.get(state) ?? 0) + Number(count));
        continue;
      }
      case "p": {
        const [, index = "", protocol = "", virtual = "", realserver = "", count = ""] = f;
        const vip = parseEndpoint(virtual);
        if (
          f.length !== 6 ||
          !COUNT.test(index) ||
          protocol === "" ||
          !vip ||
          realserver === "" ||
          !COUNT.test(count)
        ) {
          fail(lineNo, "bad service count");
          continue;
        }
        const service = liveServiceKey({ protocol, vip: vip.address, port: vip.port });
        const p = { protocol, virtual, service, realserver, entries: Number(count) };
        pairs.set(Number(index), p);
        pairOrder.push(p);
        continue;
      }
      case "m": {
        const [, filter = "", count = ""] = f;
        const i = Number(filter) - 1;
        if (f.length !== 3 || !COUNT.test(filter) || !COUNT.test(count) || i >= filterCount) {
          fail(lineNo, "bad matched count");
          continue;
        }
        matched[i] = Number(count);
        continue;
      }
      case "end":
        ended = true;
        continue;
      default:
        fail(lineNo, `unknown line "${line.slice(0, 40)}"`);
    }
  }
  if (!header) fail(lines.length, "no summary");
  else if (!ended) fail(lines.length, "the summary was cut short");
  if (header && !totals) fail(lines.length, "no totals");

  const filters: ConnSummaryFilterResult[] = matched.map((m, i) => {
    if (header && ended && m === undefined)
      fail(lines.length, `no matched count for filter ${i + 1}`);
    return { matched: m ?? 0, rows: [] };
  });
  for (const r of rawRows) {
    const pair = pairs.get(r.pair);
    const state = states.get(r.state);
    if (!pair || state === undefined) {
      fail(r.lineNo, "row of an unknown service or state");
      continue;
    }
    const client = r.fields[5] as string;
    const row: ConnSummaryRow = {
      protocol: pair.protocol,
      state,
      expires: Number(r.fields[4]),
      client,
      virtual: pair.virtual,
      realserver: pair.realserver,
      template: client.endsWith(":0"),
    };
    // Digit d of the mask: bit b set when filter 4d + b + 1 takes the row.
    for (let d = 0; d < r.mask.length; d++) {
      const digit = Number.parseInt(r.mask[d] as string, 16);
      for (let b = 0; b < 4; b++) {
        if (!(digit & (1 << b))) continue;
        const target = filters[d * 4 + b];
        if (target) target.rows.push(row);
        else fail(r.lineNo, "row of an unknown filter");
      }
    }
  }
  if (moreErrors > 0) errors.push(`… and ${moreErrors} more`);
  return {
    totals: toTotals(totals, byState, pairOrder),
    filters,
    tableErrors: totals?.errors ?? 0,
    errors,
  };
}

/**
 * Services in the order ConnectionTableParser's summary lists them: by protocol first seen, then
 * by virtual first seen; realservers in first-seen order. Pairs come in first-seen order.
 */
function toTotals(
  t: { entries: number; templates: number } | null,
  byState: Map<string, number>,
  pairOrder: readonly Pair[],
): ConnSummaryTotals {
  const byProtocol = new Map<string, Map<string, Map<string, number>>>();
  for (const p of pairOrder) {
    let services = byProtocol.get(p.protocol);
    if (!services) {
      services = new Map();
      byProtocol.set(p.protocol, services);
    }
    let dests = services.get(p.service);
    if (!dests) {
      dests = new Map();
      services.set(p.service, dests);
    }
    // Two spellings of one endpoint in the table (never the kernel's) count as one.
    dests.set(p.realserver, (dests.get(p.realserver) ?? 0) + p.entries);
  }
  const services: ConnSummaryTotals["services"] = {};
  for (const byService of byProtocol.values()) {
    for (const [service, dests] of byService) {
      let entries = 0;
      for (const c of dests.values()) entries += c;
      // Never "__proto__": a key always holds a space.
      services[service] = { entries, realservers: Object.fromEntries(dests) };
    }
  }
  return {
    entries: t?.entries ?? 0,
    templates: t?.templates ?? 0,
    byState: Object.fromEntries(byState),
    services,
  };
}
