// A pasted list of realservers, one a line: `address[:port] [weight]` (an IPv6 address with a port
// in brackets, `[fd00::11]:8080`, as ipvsadm writes it). Blank lines and `#` comments are skipped.
// Each problem names its line, in words, so the operator fixes the paste rather than guesses.
import { addressFamily, canonicalAddress, formatEndpoint } from "./address.ts";

export interface RealserverListEntry {
  /** 1-based line of the paste. */
  line: number;
  address: string;
  port: number;
  weight: number;
}

export interface RealserverListProblem {
  line: number;
  message: string;
}

export interface RealserverListOptions {
  /** The port of a line that gives none: the service's; null for a mark service (it has none). */
  port: number | null;
  /** The weight of a line that gives none. */
  weight?: number;
  /** The VIP's family: a realserver of the other one cannot serve it. */
  family?: 4 | 6 | null;
  /** Realservers the service has already, refused again with a word on why. */
  existing?: readonly { address: string; port: number }[];
}

export interface RealserverList {
  entries: RealserverListEntry[];
  problems: RealserverListProblem[];
}

const WHOLE = /^\d+$/;

/** `[v6]:port`, `[v6]`, `v4:port`, a bare IPv4 or IPv6 address; the port as written, if any. */
function splitEndpoint(text: string): { address: string; port: string | null } | null {
  if (text.startsWith("[")) {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
    return m ? { address: m[1] ?? "", port: m[2] ?? null } : null;
  }
  const colons = text.split(":").length - 1;
  // Two colons or more: an IPv6 address, which takes a port only inside brackets.
  if (colons !== 1) return { address: text, port: null };
  const at = text.indexOf(":");
  return { address: text.slice(0, at), port: text.slice(at + 1) };
}

function parseLine(
  text: string,
  options: RealserverListOptions,
): Omit<RealserverListEntry, "line"> | string {
  const words = text.split(/[\s,;]+/).filter(Boolean);
  if (words.length > 2) {
    return `expected "address[:port] [weight]", found ${words.length} values`;
  }
  const [endpoint = "", weightText] = words;
  const split = splitEndpoint(endpoint);
  if (!split) {
    return `"${endpoint}" is not an address: write an IPv6 address with a port as [fd00::11]:80`;
  }
  const family = addressFamily(split.address);
  if (family === null) return `"${split.address}" is not an IPv4 or IPv6 address`;
  if (options.family && family !== options.family) {
    return `${split.address} is IPv${family}, but the VIP is IPv${options.family}`;
  }
  let port: number;
  if (split.port === null) {
    if (options.port === null)
      return "give a port (address:port): a mark service has none of its own";
    port = options.port;
  } else {
    port = WHOLE.test(split.port) ? Number(split.port) : Number.NaN;
    if (!(port >= 1 && port <= 65535)) {
      return `port "${split.port}" must be a whole number from 1 to 65535`;
    }
  }
  let weight = options.weight ?? 1;
  if (weightText !== undefined) {
    weight = WHOLE.test(weightText) ? Number(weightText) : Number.NaN;
    if (!(weight >= 0 && weight <= 65535)) {
      return `weight "${weightText}" must be a whole number from 0 to 65535`;
    }
  }
  return { address: canonicalAddress(split.address), port, weight };
}

export function parseRealserverList(text: string, options: RealserverListOptions): RealserverList {
  const entries: RealserverListEntry[] = [];
  const problems: RealserverListProblem[] = [];
  const seen = new Map<string, number>();
  for (const e of options.existing ?? []) seen.set(`${canonicalAddress(e.address)}|${e.port}`, 0);
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/#.*$/, "").trim();
    if (content === "") return;
    const parsed = parseLine(content, options);
    if (typeof parsed === "string") {
      problems.push({ line, message: parsed });
      return;
    }
    const key = `${parsed.address}|${parsed.port}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const endpoint = formatEndpoint(parsed.address, parsed.port);
      problems.push({
        line,
        message:
          first === 0
            ? `${endpoint} is already in this service`
            : `${endpoint} is listed twice (first on line ${first})`,
      });
      return;
    }
    seen.set(key, line);
    entries.push({ line, ...parsed });
  });
  return { entries, problems };
}
