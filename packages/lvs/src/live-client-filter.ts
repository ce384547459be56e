// The live view's client filter: the start of a client's address ("192.168.77.", "fd00:") or one
// client as address:port ("192.168.77.5:43512", "[fd00::5]:43512"). One parser for the API's query
// schema, the director's awk program, the API's own pass over the table and the browser's field,
// so each accepts, refuses and matches the same text.
import { addressFamily, parseEndpoint } from "./address.ts";

export type ClientFilter =
  /** Matches clients whose address text (dotted IPv4, RFC 5952 IPv6) starts with `prefix`. */
  | { kind: "prefix"; prefix: string }
  /** Matches one client: its canonical address and its port. */
  | { kind: "endpoint"; address: string; port: number; family: 4 | 6 };

export type ClientFilterResult =
  | { ok: true; filter: ClientFilter | null }
  | { ok: false; message: string };

/** What the field accepts, in the words its hint and its error use. */
export const CLIENT_FILTER_FORMS =
  "the start of an address (192.168.77.) or one client as address:port (192.168.77.5:43512, [fd00::5]:43512)";

const BAD = `must be ${CLIENT_FILTER_FORMS}`;
const BAD_ENDPOINT =
  "must be an address and a port from 0 to 65535, such as 192.168.77.5:43512 or [fd00::5]:43512";

// Dotted-quad text cut anywhere: up to four octets of up to three digits.
const V4_PREFIX = /^(?:\d{1,3}\.){0,3}\d{0,3}$/;
// IPv6 text cut anywhere: hex groups of up to four digits, at most one "::".
const V6_PREFIX = /^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){0,7}$/;

/**
 * The filter a text asks for: null for "" (no filter), a prefix, or one client's endpoint. An
 * IPv6 client with a port goes in brackets; without brackets, colons make an IPv6 prefix.
 */
export function parseClientFilter(text: string): ClientFilterResult {
  if (text === "") return { ok: true, filter: null };
  // "[…]" or a dotted address before a colon: an endpoint ("10:80" stays an IPv6 prefix).
  if (text.startsWith("[") || /^[\d.]*\.[\d.]*:/.test(text)) {
    const endpoint = parseEndpoint(text);
    const family = endpoint ? addressFamily(endpoint.address) : null;
    if (!endpoint || family === null) {
      return {
        ok: false,
        message:
          text.startsWith("[") && !text.includes("]:")
            ? `${BAD_ENDPOINT} (the port is missing)`
            : BAD_ENDPOINT,
      };
    }
    return { ok: true, filter: { kind: "endpoint", ...endpoint, family } };
  }
  if (
    V4_PREFIX.test(text) &&
    text.split(".").every((octet) => octet === "" || Number(octet) <= 255)
  ) {
    return { ok: true, filter: { kind: "prefix", prefix: text } };
  }
  const lower = text.toLowerCase();
  if (V6_PREFIX.test(lower) && !lower.includes(":::") && lower.split("::").length <= 2) {
    return { ok: true, filter: { kind: "prefix", prefix: lower } };
  }
  return { ok: false, message: BAD };
}

/** Why the text is not a client filter, or null when it is one (or empty). */
export function clientFilterProblem(text: string): string | null {
  const result = parseClientFilter(text);
  return result.ok ? null : result.message;
}

/** Whether a client (canonical address text, port) passes the filter. */
export function matchesClientFilter(filter: ClientFilter, address: string, port: number): boolean {
  return filter.kind === "prefix"
    ? address.startsWith(filter.prefix)
    : port === filter.port && address === filter.address;
}
