// One director reading → what each watcher receives: the connection table filtered and limited
// per watcher in a single pass over the table (however many watchers), per-state and
// per-service/realserver counts, and the --stats/--rate figures. Pure; the hub does the I/O.
// Without a connection table (every watcher asked only for counters) a tick carries the ipvsadm
// figures alone: no `totals` and no `matched`, rather than zeros that would read as "idle".
import type { LiveRow, LiveTick, LiveTotals } from "@lvs-panel/contract";
import {
  type ClientFilter,
  type ConnectionEntry,
  type ConnSummaryResult as ConnectionSummary,
  ConnectionTableParser,
  formatEndpoint,
  type LiveFilterLike,
  liveServiceKey,
  matchesClientFilter,
  parseClientFilter,
} from "@lvs-panel/lvs";
import { type IpvsListings, listingCounters } from "./listing-counters.ts";

/** What a watcher asks of the table: the director's summary takes the same filters. */
export type LiveFilter = LiveFilterLike;

export type { LiveRow, LiveTick, LiveTotals } from "@lvs-panel/contract";

/** The listings are `ipvsadm -Ln`, `--stats --exact` and `--rate --exact`. */
export interface DirectorReading extends IpvsListings {
  /** The connection table's text; null when it was not read (counters only). */
  connections: string | null;
  format: "proc" | "ipvsadm";
  readMs: number;
}

/**
 * Whether a watcher needs the connection table: for rows, or for `matched` under a filter. An
 * unfiltered watcher with limit 0 (the cluster page) wants only the ipvsadm counters.
 */
export function needsConnectionTable(f: LiveFilter): boolean {
  return f.limit > 0 || Boolean(f.service?.trim() || f.realserver || f.state || f.client);
}

interface Watch {
  filter: LiveFilter;
  /** The client filter parsed; "none" for text that is no client filter (matches nothing). */
  client: ClientFilter | "none" | null;
  rows: LiveRow[];
  matched: number;
  service: string | undefined;
  serviceHasProtocol: boolean;
}

export function buildTicks(reading: DirectorReading, filters: readonly LiveFilter[]): LiveTick[] {
  if (reading.connections === null) return buildCounterTicks(reading, filters.length);
  const started = performance.now();
  const watches: Watch[] = filters.map((filter) => ({
    filter,
    client: clientOf(filter),
    rows: [],
    matched: 0,
    service: filter.service?.trim() || undefined,
    serviceHasProtocol: /\s/.test(filter.service?.trim() ?? ""),
  }));
  // VIP and realserver endpoints repeat across the table: build each text once.
  const endpointText = new Map<string, Map<number, string>>();
  const endpoint = (address: string, port: number) => {
    let byPort = endpointText.get(address);
    if (!byPort) {
      byPort = new Map();
      endpointText.set(address, byPort);
    }
    let text = byPort.get(port);
    if (text === undefined) {
      text = formatEndpoint(address, port);
      byPort.set(port, text);
    }
    return text;
  };
  // And so does each service's label (liveServiceKey's text), by protocol and VIP endpoint text.
  const serviceLabels = new Map<string, Map<string, string>>();
  const serviceLabel = (e: ConnectionEntry, virtual: string) => {
    let byVirtual = serviceLabels.get(e.protocol);
    if (!byVirtual) {
      byVirtual = new Map();
      serviceLabels.set(e.protocol, byVirtual);
    }
    let label = byVirtual.get(virtual);
    if (label === undefined) {
      label = liveServiceKey({ protocol: e.protocol, vip: e.virtualAddress, port: e.virtualPort });
      byVirtual.set(virtual, label);
    }
    return label;
  };
  const parser = new ConnectionTableParser(reading.format, {
    summarize: true,
    onEntry: (e) => {
      // Endpoint text is needed only by service/realserver filters and for rows actually sent,
      // so most of a million entries are checked without building any string.
      let virtual: string | undefined;
      let dest: string | undefined;
      for (const w of watches) {
        const f = w.filter;
        if (e.template && !f.templates) continue;
        if (f.state && e.state !== f.state) continue;
        if (w.client !== null) {
          if (w.client === "none" || !matchesClientFilter(w.client, e.clientAddress, e.clientPort))
            continue;
        }
        if (f.realserver) {
          dest ??= endpoint(e.destAddress, e.destPort);
          if (dest !== f.realserver) continue;
        }
        if (w.service) {
          virtual ??= endpoint(e.virtualAddress, e.virtualPort);
          const key = w.serviceHasProtocol ? serviceLabel(e, virtual) : virtual;
          if (key !== w.service) continue;
        }
        w.matched++;
        if (w.rows.length < f.limit) {
          virtual ??= endpoint(e.virtualAddress, e.virtualPort);
          dest ??= endpoint(e.destAddress, e.destPort);
          w.rows.push({
            protocol: e.protocol,
            state: e.state,
            expires: e.expires,
            client: formatEndpoint(e.clientAddress, e.clientPort),
            virtual,
            realserver: dest,
            template: e.template,
          });
        }
      }
    },
  });
  parser.write(reading.connections);
  const result = parser.end();
  const totals = toTotals(result.summary);
  const services = listingCounters(reading);
  const processMs = performance.now() - started;
  const at = new Date().toISOString();
  return watches.map((w) => ({
    at,
    readMs: Math.round(reading.readMs),
    processMs: Math.round(processMs),
    totals,
    matched: w.matched,
    truncated: w.matched > w.rows.length,
    rows: w.rows,
    services,
    parseErrors: result.errors.length + result.moreErrors,
  }));
}

function clientOf(f: LiveFilter): ClientFilter | "none" | null {
  if (!f.client) return null;
  const parsed = parseClientFilter(f.client);
  return parsed.ok ? parsed.filter : "none";
}

/**
 * Ticks from the director's own summary of the connection table (renderConnectionSummaryScript's
 * awk): rows, matched counts and totals came filtered, counted and limited from the director, so
 * only the listings are parsed here, on the main thread.
 */
export function buildTicksFromSummary(
  summary: ConnectionSummary,
  reading: Omit<DirectorReading, "connections" | "format">,
  filters: readonly LiveFilter[],
): LiveTick[] {
  const started = performance.now();
  const services = listingCounters(reading);
  const processMs = performance.now() - started;
  const at = new Date().toISOString();
  return filters.map((_, i) => {
    const f = summary.filters[i] ?? { matched: 0, rows: [] };
    return {
      at,
      readMs: Math.round(reading.readMs),
      processMs: Math.round(processMs),
      totals: summary.totals,
      matched: f.matched,
      truncated: f.matched > f.rows.length,
      rows: f.rows,
      services,
      parseErrors: summary.tableErrors,
    };
  });
}

/** Ticks from the ipvsadm listings alone: a few lines per service, cheap on the main thread. */
function buildCounterTicks(reading: DirectorReading, watchers: number): LiveTick[] {
  const started = performance.now();
  const services = listingCounters(reading);
  const tick: LiveTick = {
    at: new Date().toISOString(),
    readMs: Math.round(reading.readMs),
    processMs: Math.round(performance.now() - started),
    truncated: false,
    rows: [],
    services,
    parseErrors: 0,
  };
  return Array.from({ length: watchers }, () => tick);
}

function toTotals(summary: ReturnType<ConnectionTableParser["end"]>["summary"]): LiveTotals {
  const totals: LiveTotals = { entries: 0, templates: 0, byState: {}, services: {} };
  if (!summary) return totals;
  totals.entries = summary.entries;
  totals.templates = summary.templates;
  totals.byState = Object.fromEntries(summary.byState);
  for (const [key, agg] of summary.services) {
    const realservers: Record<string, number> = {};
    for (const [dest, c] of agg.destinations) realservers[dest] = c.entries;
    totals.services[key] = { entries: agg.entries, realservers };
  }
  return totals;
}
