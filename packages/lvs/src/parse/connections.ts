// Parsers for the IPVS connection table, in both forms: `ipvsadm -Lnc` (text endpoints, mm:ss)
// and `/proc/net/ip_vs_conn` (hex, seconds). Tables reach millions of lines, so they are read as a
// stream of chunks with char-code scanning, and callers choose per-entry callbacks (one reused
// object) and/or an aggregate that allocates nothing per line.
import ipaddr from "ipaddr.js";
import { formatEndpoint } from "../address.ts";
import { liveServiceKey } from "../live-service-key.ts";
import type { ParseError } from "./errors.ts";
import { decimalAt, hexAt, Interner, LineSplitter, Tokens } from "./line-scanner.ts";

export type ConnectionFormat = "ipvsadm" | "proc";

export interface ConnectionEntry {
  /** As the kernel names it: TCP, UDP, SCTP, IP (firewall-mark templates), ... */
  protocol: string;
  state: string;
  /** Seconds until the entry expires. */
  expires: number;
  clientAddress: string;
  clientPort: number;
  virtualAddress: string;
  virtualPort: number;
  destAddress: string;
  destPort: number;
  /** Persistence template (client port 0; state NONE or ASSURED), not a real connection. */
  template: boolean;
  peName: string | null;
  peData: string | null;
}

export interface ConnectionCounts {
  entries: number;
  templates: number;
  byState: Map<string, number>;
}

export interface ConnectionSummary extends ConnectionCounts {
  /** Keyed by liveServiceKey ("TCP vip:port", IPv6 in brackets), then by formatEndpoint's "rip:port". */
  services: Map<string, ConnectionCounts & { destinations: Map<string, ConnectionCounts> }>;
}

export interface ConnectionParseResult {
  lines: number;
  entries: number;
  errors: ParseError[];
  /** Errors beyond the first MAX_REPORTED_ERRORS are counted here (a garbage stream stays small). */
  moreErrors: number;
  summary: ConnectionSummary | null;
}

export interface ConnectionParserOptions {
  /** Called per entry with ONE reused object: copy what you keep. */
  onEntry?: (entry: ConnectionEntry) => void;
  /** Build per-service/per-destination counts (default true when there is no onEntry). */
  summarize?: boolean;
}

export const MAX_REPORTED_ERRORS = 10_000;

function newCounts(): ConnectionCounts {
  return { entries: 0, templates: 0, byState: new Map() };
}

function count(c: ConnectionCounts, state: string, template: boolean): void {
  c.entries++;
  if (template) c.templates++;
  c.byState.set(state, (c.byState.get(state) ?? 0) + 1);
}

type Agg = ConnectionCounts & { destinations: Map<string, ConnectionCounts> };

/** Streaming parser: write() chunks as they arrive, end() for the result. */
export class ConnectionTableParser {
  private readonly splitter: LineSplitter;
  private readonly tokens = new Tokens();
  private readonly interner = new Interner();
  private readonly endpoints = new Map<string, { address: string; port: number }>();
  private readonly entry: ConnectionEntry = {
    protocol: "",
    state: "",
    expires: 0,
    clientAddress: "",
    clientPort: 0,
    virtualAddress: "",
    virtualPort: 0,
    destAddress: "",
    destPort: 0,
    template: false,
    peName: null,
    peData: null,
  };
  private readonly onEntry: ((entry: ConnectionEntry) => void) | undefined;
  private readonly totals: ConnectionCounts | null;
  /** Raw protocol → raw virtual token → aggregate; keys converted to text once, at the end. */
  private readonly raw = new Map<string, Map<string, Agg>>();
  private lineNo = 0;
  private entries = 0;
  private readonly errors: ParseError[] = [];
  private moreErrors = 0;

  constructor(
    readonly format: ConnectionFormat,
    options: ConnectionParserOptions = {},
  ) {
    this.onEntry = options.onEntry;
    this.totals = (options.summarize ?? !options.onEntry) ? newCounts() : null;
    this.splitter = new LineSplitter((text, start, end) => this.line(text, start, end));
  }

  write(chunk: string): this {
    this.splitter.write(chunk);
    return this;
  }

  end(): ConnectionParseResult {
    this.splitter.end();
    return {
      lines: this.lineNo,
      entries: this.entries,
      errors: this.errors,
      moreErrors: this.moreErrors,
      summary: this.totals ? this.buildSummary(this.totals) : null,
    };
  }

  private fail(text: string, start: number, end: number, reason: string): void {
    if (this.errors.length < MAX_REPORTED_ERRORS) {
      this.errors.push({ line: this.lineNo, text: text.slice(start, end), reason });
    } else this.moreErrors++;
  }

  private line(text: string, start: number, end: number): void {
    this.lineNo++;
    const t = this.tokens;
    const n = t.scan(text, start, end);
    if (n === 0) return;
    // Header lines of either format.
    if (
      text.startsWith("IPVS connection", start) ||
      text.startsWith("pro expire", start) ||
      text.startsWith("Pro FromIP", start)
    ) {
      return;
    }
    if (this.format === "ipvsadm") this.ipvsadmLine(text, start, end, n);
    else this.procLine(text, start, end, n);
  }

  // TCP 01:48  TIME_WAIT   192.168.77.2:52898 192.168.77.100:80  10.10.0.11:80
  private ipvsadmLine(text: string, start: number, end: number, n: number): void {
    const { starts, ends } = this.tokens;
    if (n < 6) {
      this.fail(text, start, end, `expected 6 fields, found ${n}`);
      return;
    }
    const en0 = ends[0] ?? 0;
    const st0 = starts[0] ?? 0;
    const en1 = ends[1] ?? 0;
    const st1 = starts[1] ?? 0;
    const en2 = ends[2] ?? 0;
    const st2 = starts[2] ?? 0;
    const en3 = ends[3] ?? 0;
    const st3 = starts[3] ?? 0;
    const en4 = ends[4] ?? 0;
    const st4 = starts[4] ?? 0;
    const en5 = ends[5] ?? 0;
    const st5 = starts[5] ?? 0;
    const en6 = ends[6] ?? 0;
    const st6 = starts[6] ?? 0;
    const en7 = ends[7] ?? 0;
    const st7 = starts[7] ?? 0;
    const colon = text.indexOf(":", st1);
    const mins = colon < 0 || colon >= en1 ? -1 : decimalAt(text, st1, colon);
    const secs = mins < 0 ? -1 : decimalAt(text, colon + 1, en1);
    if (secs < 0) {
      this.fail(text, start, end, "bad expire time (mm:ss)");
      return;
    }
    const cport = portAfterColon(text, st3, en3);
    const vport = portAfterColon(text, st4, en4);
    const dport = portAfterColon(text, st5, en5);
    if (cport < 0 || vport < 0 || dport < 0) {
      this.fail(text, start, end, "bad endpoint");
      return;
    }
    this.entries++;
    const protocol = this.interner.get(text, st0, en0);
    const state = this.interner.get(text, st2, en2);
    const template = cport === 0;
    const virtualKey = this.interner.get(text, st4, en4);
    const destKey = this.interner.get(text, st5, en5);
    if (this.totals) this.tally(protocol, virtualKey, destKey, state, template);
    if (!this.onEntry) return;
    const e = this.entry;
    e.protocol = protocol;
    e.state = state;
    e.expires = mins * 60 + secs;
    e.clientAddress = stripBrackets(text.slice(st3, text.lastIndexOf(":", en3 - 1)));
    e.clientPort = cport;
    this.setEndpoint(virtualKey, "virtual");
    this.setEndpoint(destKey, "dest");
    e.template = template;
    e.peName = n > 6 ? text.slice(st6, en6) : null;
    e.peData = n > 7 ? text.slice(st7, en7) : null;
    this.onEntry(e);
  }

  // TCP C0A84D02 CEA2 C0A84D64 0050 0A0A000B 0050 TIME_WAIT       104
  private procLine(text: string, start: number, end: number, n: number): void {
    const { starts, ends } = this.tokens;
    if (n < 9) {
      this.fail(text, start, end, `expected 9 fields, found ${n}`);
      return;
    }
    const en0 = ends[0] ?? 0;
    const st0 = starts[0] ?? 0;
    const en1 = ends[1] ?? 0;
    const st1 = starts[1] ?? 0;
    const en2 = ends[2] ?? 0;
    const st2 = starts[2] ?? 0;
    const en3 = ends[3] ?? 0;
    const st3 = starts[3] ?? 0;
    const en4 = ends[4] ?? 0;
    const st4 = starts[4] ?? 0;
    const en5 = ends[5] ?? 0;
    const st5 = starts[5] ?? 0;
    const en6 = ends[6] ?? 0;
    const st6 = starts[6] ?? 0;
    const en7 = ends[7] ?? 0;
    const st7 = starts[7] ?? 0;
    const en8 = ends[8] ?? 0;
    const st8 = starts[8] ?? 0;
    const en9 = ends[9] ?? 0;
    const st9 = starts[9] ?? 0;
    const en10 = ends[10] ?? 0;
    const st10 = starts[10] ?? 0;
    const cport = hexAt(text, st2, en2);
    const vport = hexAt(text, st4, en4);
    const dport = hexAt(text, st6, en6);
    const expires = decimalAt(text, st8, en8);
    if (cport < 0 || vport < 0 || dport < 0) {
      this.fail(text, start, end, "bad hex port");
      return;
    }
    if (expires < 0) {
      this.fail(text, start, end, "bad expiry seconds");
      return;
    }
    if (!validHexAddress(text, st1, en1) || !validHexAddress(text, st3, en3)) {
      this.fail(text, start, end, "bad hex address");
      return;
    }
    if (!validHexAddress(text, st5, en5)) {
      this.fail(text, start, end, "bad hex address");
      return;
    }
    this.entries++;
    const protocol = this.interner.get(text, st0, en0);
    const state = this.interner.get(text, st7, en7);
    const template = cport === 0;
    // Address and port tokens are adjacent, so one span keys the endpoint.
    const virtualKey = this.interner.get(text, st3, en4);
    const destKey = this.interner.get(text, st5, en6);
    if (this.totals) this.tally(protocol, virtualKey, destKey, state, template);
    if (!this.onEntry) return;
    const e = this.entry;
    e.protocol = protocol;
    e.state = state;
    e.expires = expires;
    e.clientAddress = hexAddressToText(text.slice(st1, en1));
    e.clientPort = cport;
    this.setEndpoint(virtualKey, "virtual");
    this.setEndpoint(destKey, "dest");
    e.template = template;
    e.peName = n > 9 ? text.slice(st9, en9) : null;
    e.peData = n > 10 ? text.slice(st10, en10) : null;
    this.onEntry(e);
  }

  private setEndpoint(key: string, which: "virtual" | "dest"): void {
    let ep = this.endpoints.get(key);
    if (!ep) {
      ep = this.format === "proc" ? hexEndpoint(key) : textEndpoint(key);
      if (this.endpoints.size > 1 << 16) this.endpoints.clear();
      this.endpoints.set(key, ep);
    }
    if (which === "virtual") {
      this.entry.virtualAddress = ep.address;
      this.entry.virtualPort = ep.port;
    } else {
      this.entry.destAddress = ep.address;
      this.entry.destPort = ep.port;
    }
  }

  private tally(protocol: string, vkey: string, dkey: string, state: string, template: boolean) {
    count(this.totals as ConnectionCounts, state, template);
    let byVirtual = this.raw.get(protocol);
    if (!byVirtual) {
      byVirtual = new Map();
      this.raw.set(protocol, byVirtual);
    }
    let agg = byVirtual.get(vkey);
    if (!agg) {
      agg = { ...newCounts(), destinations: new Map() };
      byVirtual.set(vkey, agg);
    }
    count(agg, state, template);
    let dest = agg.destinations.get(dkey);
    if (!dest) {
      dest = newCounts();
      agg.destinations.set(dkey, dest);
    }
    count(dest, state, template);
  }

  private buildSummary(totals: ConnectionCounts): ConnectionSummary {
    const endpoint = (key: string) =>
      this.format === "proc" ? hexEndpoint(key) : textEndpoint(key);
    const services: ConnectionSummary["services"] = new Map();
    for (const [protocol, byVirtual] of this.raw) {
      for (const [vkey, agg] of byVirtual) {
        const destinations = new Map<string, ConnectionCounts>();
        for (const [dkey, c] of agg.destinations) {
          const dest = endpoint(dkey);
          destinations.set(formatEndpoint(dest.address, dest.port), c);
        }
        const vip = endpoint(vkey);
        services.set(liveServiceKey({ protocol, vip: vip.address, port: vip.port }), {
          ...agg,
          destinations,
        });
      }
    }
    return { ...totals, services };
  }
}

function portAfterColon(text: string, start: number, end: number): number {
  const colon = text.lastIndexOf(":", end - 1);
  if (colon < start) return -1;
  const port = decimalAt(text, colon + 1, end);
  return port > 65535 ? -1 : port;
}

function stripBrackets(s: string): string {
  return s.startsWith("[") && s.endsWith("]") ? s.slice(1, -1) : s;
}

function textEndpoint(token: string): { address: string; port: number } {
  const colon = token.lastIndexOf(":");
  return { address: stripBrackets(token.slice(0, colon)), port: Number(token.slice(colon + 1)) };
}

/** 8 hex digits (IPv4) or the kernel's full colon form of IPv6 (%pI6). */
function validHexAddress(text: string, start: number, end: number): boolean {
  if (end - start === 8) return hexAt(text, start, end) >= 0;
  if (end - start !== 39) return false;
  for (let i = start; i < end; i += 5) {
    if (hexAt(text, i, i + 4) < 0) return false;
    if (i + 4 < end && text.charCodeAt(i + 4) !== 58) return false;
  }
  return true;
}

function hexAddressToText(hex: string): string {
  if (hex.length === 8) {
    const n = Number.parseInt(hex, 16);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  return ipaddr.IPv6.parse(hex).toString();
}

function hexEndpoint(key: string): { address: string; port: number } {
  const space = key.lastIndexOf(" ");
  return {
    address: hexAddressToText(key.slice(0, key.indexOf(" "))),
    port: Number.parseInt(key.slice(space + 1), 16),
  };
}

function collect(format: ConnectionFormat, text: string) {
  const entries: ConnectionEntry[] = [];
  const result = new ConnectionTableParser(format, {
    onEntry: (e) => entries.push({ ...e }),
    summarize: false,
  })
    .write(text)
    .end();
  return { entries, errors: result.errors, moreErrors: result.moreErrors };
}

/** Whole `ipvsadm -Lnc` output into entries (for small tables; stream big ones). */
export function parseConnectionTable(text: string) {
  return collect("ipvsadm", text);
}

/** Whole `/proc/net/ip_vs_conn` into entries (for small tables; stream big ones). */
export function parseProcIpVsConn(text: string) {
  return collect("proc", text);
}

/** Counts only: no object per entry, chunks may split lines anywhere. */
export function summarizeConnections(
  format: ConnectionFormat,
  chunks: Iterable<string>,
): ConnectionParseResult & { summary: ConnectionSummary } {
  const parser = new ConnectionTableParser(format, { summarize: true });
  for (const chunk of chunks) parser.write(chunk);
  const result = parser.end();
  return result as ConnectionParseResult & { summary: ConnectionSummary };
}
