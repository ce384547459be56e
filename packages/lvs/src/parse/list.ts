// Parser for `ipvsadm -Ln` and its variants (--stats, --rate, --exact, --thresholds,
// --persistent-conn). Column meaning is taken from the header lines, so each variant is read
// by the same code and an unexpected column shows up as an error rather than a wrong number.
import { parseEndpoint } from "../address.ts";
import type { ParseError } from "./errors.ts";
import { type LargeNumber, parseLargeNumber } from "./largenum.ts";

export type ListedProtocol = "tcp" | "udp" | "sctp" | "fwm";
export type ListedForwarding = "nat" | "dr" | "tunnel" | "local";
export type ListFormat = "default" | "stats" | "rate" | "thresholds" | "persistent-conn";

export interface ListedCounters {
  /** Keys are ipvsadm's column names: Conns/InPkts/... for --stats, CPS/InPPS/... for --rate. */
  values: Record<string, number>;
  /** True when any cell carried a K/M/G/T suffix (run with --exact for exact figures). */
  approximate: boolean;
}

/**
 * A tunnel realserver's encapsulation as ipvsadm-save (1.31) writes it: `--tun-type ipip`, or gue
 * with `--tun-port` and a checksum option, or gre. -Ln shows none of it (only with --tun-info).
 */
export interface ListedTunnel {
  type: "ipip" | "gue" | "gre";
  port?: number;
  checksum?: "nocsum" | "csum" | "remcsum";
}

export interface ListedRealServer {
  address: string;
  port: number;
  forwarding?: ListedForwarding;
  tunnel?: ListedTunnel;
  weight?: number;
  activeConns?: number;
  inactiveConns?: number;
  persistentConns?: number;
  upperThreshold?: number;
  lowerThreshold?: number;
  counters?: ListedCounters;
}

export interface ListedService {
  protocol: ListedProtocol;
  /** Absent for firewall-mark services. */
  address?: string;
  port?: number;
  fwmark?: number;
  family: 4 | 6;
  scheduler?: string;
  schedulerFlags: string[];
  persistence?: number;
  /** Dotted mask for IPv4, prefix length text for IPv6, as ipvsadm prints them. */
  persistenceNetmask?: string;
  persistenceEngine?: string;
  onePacket: boolean;
  counters?: ListedCounters;
  realservers: ListedRealServer[];
}

export interface IpvsList {
  version?: string;
  tableSize?: number;
  format: ListFormat;
  services: ListedService[];
  errors: ParseError[];
}

const FORWARD_NAMES: Record<string, ListedForwarding> = {
  Masq: "nat",
  Route: "dr",
  Tunnel: "tunnel",
  Local: "local",
};
const PROTOCOL_NAMES: Record<string, ListedProtocol> = {
  TCP: "tcp",
  UDP: "udp",
  SCTP: "sctp",
  FWM: "fwm",
};

const VERSION_LINE = /^IP Virtual Server version (\S+) \(size=(\d+)\)$/;

export function parseIpvsadmList(text: string): IpvsList {
  const result: IpvsList = { format: "default", services: [], errors: [] };
  // Counter columns of the service header (stats/rate); empty for the scheduler/flags layout.
  let serviceColumns: string[] = [];
  let realserverColumns: string[] = ["Forward", "Weight", "ActiveConn", "InActConn"];
  let current: ListedService | null = null;
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const lineNo = index + 1;
    const fail = (reason: string) => result.errors.push({ line: lineNo, text: line, reason });
    if (line.trim() === "") return;
    const version = VERSION_LINE.exec(line);
    if (version) {
      result.version = version[1];
      result.tableSize = Number(version[2]);
      return;
    }
    const tokens = line.trim().split(/\s+/);
    if (line.startsWith("Prot ")) {
      serviceColumns = tokens.slice(2).filter((t) => t !== "Scheduler" && t !== "Flags");
      if (serviceColumns.includes("Conns")) result.format = "stats";
      else if (serviceColumns.includes("CPS")) result.format = "rate";
      return;
    }
    if (line.startsWith("  -> RemoteAddress:Port")) {
      const cols = tokens.slice(2);
      if (cols.length > 0) {
        realserverColumns = cols;
        if (cols.includes("Uthreshold")) result.format = "thresholds";
        else if (cols.includes("PersistConn")) result.format = "persistent-conn";
      } else realserverColumns = serviceColumns;
      return;
    }
    if (line.startsWith("  -> ")) {
      if (!current) {
        fail("realserver line before any service");
        return;
      }
      const rs = parseRealserverLine(tokens.slice(1), realserverColumns, serviceColumns);
      if (typeof rs === "string") {
        fail(rs);
        return;
      }
      current.realservers.push(rs);
      return;
    }
    const protocol = PROTOCOL_NAMES[tokens[0] ?? ""];
    if (protocol) {
      const svc = parseServiceLine(protocol, tokens.slice(1), serviceColumns);
      if (typeof svc === "string") {
        current = null;
        fail(svc);
        return;
      }
      current = svc;
      result.services.push(svc);
      return;
    }
    fail("unrecognised line");
  });
  return result;
}

function parseServiceLine(
  protocol: ListedProtocol,
  tokens: string[],
  counterColumns: string[],
): ListedService | string {
  const svc: ListedService = {
    protocol,
    family: 4,
    schedulerFlags: [],
    onePacket: false,
    realservers: [],
  };
  let i = 0;
  const first = tokens[i++] ?? "";
  if (protocol === "fwm") {
    if (!/^\d+$/.test(first)) return `bad firewall mark "${first}"`;
    svc.fwmark = Number(first);
    // ipvsadm marks an IPv6 firewall-mark service with a literal "IPv6" after the mark.
    if (tokens[i] === "IPv6") {
      svc.family = 6;
      i++;
    }
  } else {
    const ep = parseEndpoint(first);
    if (!ep) return `bad virtual address "${first}"`;
    svc.address = ep.address;
    svc.port = ep.port;
    svc.family = ep.address.includes(":") ? 6 : 4;
  }
  if (counterColumns.length > 0) {
    const counters = parseCounters(tokens.slice(i), counterColumns);
    if (typeof counters === "string") return counters;
    svc.counters = counters;
    return svc;
  }
  const scheduler = tokens[i++];
  if (!scheduler || !/^[a-z]+$/.test(scheduler)) return "missing scheduler";
  svc.scheduler = scheduler;
  while (i < tokens.length) {
    const t = tokens[i++] as string;
    if (t.startsWith("(") && t.endsWith(")")) {
      svc.schedulerFlags = t.slice(1, -1).split(",").filter(Boolean);
    } else if (t === "persistent" && /^\d+$/.test(tokens[i] ?? "")) {
      svc.persistence = Number(tokens[i++]);
    } else if (t === "mask" && tokens[i] !== undefined) {
      svc.persistenceNetmask = tokens[i++];
    } else if (t === "pe" && tokens[i] !== undefined) {
      svc.persistenceEngine = tokens[i++];
    } else if (t === "ops") {
      svc.onePacket = true;
    } else return `unexpected service attribute "${t}"`;
  }
  return svc;
}

function parseCounters(cells: string[], columns: string[]): ListedCounters | string {
  if (cells.length !== columns.length) {
    return `expected ${columns.length} counters, found ${cells.length}`;
  }
  const counters: ListedCounters = { values: {}, approximate: false };
  for (let k = 0; k < columns.length; k++) {
    const n: LargeNumber | null = parseLargeNumber(cells[k] as string);
    if (!n) return `bad counter "${cells[k]}" for ${columns[k]}`;
    counters.values[columns[k] as string] = n.value;
    counters.approximate ||= n.approximate;
  }
  return counters;
}

function parseRealserverLine(
  tokens: string[],
  columns: string[],
  counterColumns: string[],
): ListedRealServer | string {
  const ep = parseEndpoint(tokens[0] ?? "");
  if (!ep) return `bad realserver address "${tokens[0] ?? ""}"`;
  const rs: ListedRealServer = { address: ep.address, port: ep.port };
  const cells = tokens.slice(1);
  if (counterColumns.length > 0 && columns === counterColumns) {
    const counters = parseCounters(cells, counterColumns);
    if (typeof counters === "string") return counters;
    rs.counters = counters;
    return rs;
  }
  if (cells.length !== columns.length) {
    return `expected ${columns.length} columns, found ${cells.length}`;
  }
  for (let k = 0; k < columns.length; k++) {
    const col = columns[k] as string;
    const cell = cells[k] as string;
    if (col === "Forward") {
      const fwd = FORWARD_NAMES[cell];
      if (!fwd) return `unknown forwarding method "${cell}"`;
      rs.forwarding = fwd;
      continue;
    }
    if (!/^-?\d+$/.test(cell)) return `bad number "${cell}" for ${col}`;
    const n = Number(cell);
    switch (col) {
      case "Weight":
        rs.weight = n;
        break;
      case "ActiveConn":
        rs.activeConns = n;
        break;
      case "InActConn":
        rs.inactiveConns = n;
        break;
      case "PersistConn":
        rs.persistentConns = n;
        break;
      case "Uthreshold":
        rs.upperThreshold = n;
        break;
      case "Lthreshold":
        rs.lowerThreshold = n;
        break;
      default:
        return `unknown column ${col}`;
    }
  }
  return rs;
}
