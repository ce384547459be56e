// Readers for what a host reports about the state the panel manages, so the SSH layer can run
// `hostReadCommands()` and hand the outputs to `hostStateFromReadback()`.
import { canonicalAddress } from "../address.ts";
import { isIpAddress } from "../fields.ts";
import type { ParseError } from "../parse/errors.ts";
import { argvToShell, quoteShellArg } from "../render/shell-quote.ts";
import {
  DIRECTOR_SYSCTLS,
  type HostAddress,
  type HostRole,
  type HostState,
  IP_PROTOCOL_NUMBERS,
  type IpProtocolName,
  LVS_ROUTE_TABLE,
  MANAGED_FILES,
  type PolicyRule,
  REALSERVER_SYSCTLS,
  type TableRoute,
  TUN_SYSCTLS,
} from "./state.ts";

type ReadId =
  | "sysctl"
  | "addresses"
  | "rules4"
  | "rules6"
  | "routes4"
  | "routes6"
  | `file:${string}`;

/**
 * A read: a program (argv), or shell text for the calling shell (no `exit`; stderr is
 * discarded) whose stdout is the result and whose status says whether there was one. Shell
 * builtins spare a process where they can: on a slow host every process started costs (~30–90
 * ms each under qemu TCG), and a host is read before and after every apply. (Not `read` for
 * sysctls: /proc/sys answers dash's one-byte reads with the first byte only.)
 */
export type ReadCommand = { id: ReadId; argv: string[] } | { id: ReadId; shell: string };

export function managedSysctls(role: HostRole): string[] {
  return Object.keys(role === "director" ? DIRECTOR_SYSCTLS : REALSERVER_SYSCTLS);
}

/** What a host's sysctl read asks for: the managed keys, and on a realserver TUN's as well. */
function readSysctls(role: HostRole): string[] {
  const managed = managedSysctls(role);
  return role === "realserver" ? [...managed, ...Object.keys(TUN_SYSCTLS)] : managed;
}

/**
 * The commands whose output hostStateFromReadback expects (a missing file reads as null).
 * Policy rules and the LVS table's routes are read on realservers only: the panel puts them
 * nowhere else, and a director may well be a NAT realserver of another cluster, whose rules are
 * not this cluster's to remove.
 */
export function hostReadCommands(role: HostRole): ReadCommand[] {
  const table = String(LVS_ROUTE_TABLE);
  const realserverRouting: ReadCommand[] = [
    { id: "rules4", argv: ["ip", "-4", "rule", "show"] },
    { id: "rules6", argv: ["ip", "-6", "rule", "show"] },
    { id: "routes4", argv: ["ip", "-4", "route", "show", "table", table] },
    { id: "routes6", argv: ["ip", "-6", "route", "show", "table", table] },
  ];
  return [
    // -e: a key that does not exist (tunl0's before `modprobe ipip`) is left out of the output
    // instead of failing the whole read (procps' sysctl exits 1 for it).
    { id: "sysctl", argv: ["sysctl", "-e", ...readSysctls(role)] },
    { id: "addresses", argv: ["ip", "-o", "addr", "show"] },
    ...(role === "realserver" ? realserverRouting : []),
    ...MANAGED_FILES.map((path) => ({
      id: `file:${path}` as const,
      // `test` is a builtin: a file that is not there costs no process.
      shell: `test -e ${quoteShellArg(path)} && ${argvToShell(["cat", path])}`,
    })),
  ];
}

type Parsed<T> = { value: T; errors: ParseError[] };

function lines(text: string): [number, string][] {
  return text
    .split("\n")
    .map((l, i): [number, string] => [i + 1, l.replace(/\r$/, "")])
    .filter(([, l]) => l.trim() !== "");
}

/** `sysctl a b` prints "a = 1"; keys that do not exist print an error on stderr instead. */
export function parseSysctlOutput(text: string): Parsed<Record<string, string>> {
  const value: Record<string, string> = {};
  const errors: ParseError[] = [];
  for (const [line, l] of lines(text)) {
    const m = /^([\w.-]+)\s*=\s*(.*?)\s*$/.exec(l);
    if (m) value[m[1] as string] = m[2] as string;
    else errors.push({ line, text: l, reason: "not a sysctl key = value line" });
  }
  return { value, errors };
}

/** `ip -o addr show`: "2: eth0    inet 10.10.0.1/24 brd ... scope global eth0\ ...". */
export function parseIpAddrShow(text: string): Parsed<HostAddress[]> {
  const value: HostAddress[] = [];
  const errors: ParseError[] = [];
  for (const [line, l] of lines(text)) {
    const t = l.trim().split(/\s+/);
    const family = t[2];
    // link/ether lines (from `ip -o link`) carry no address; skip them quietly.
    if (family === "link/ether" || family === "link/loopback") continue;
    const cidr = t[3] ?? "";
    const slash = cidr.indexOf("/");
    const address = slash > 0 ? cidr.slice(0, slash) : "";
    const prefix = Number(cidr.slice(slash + 1));
    const dev = (t[1] ?? "").replace(/:$/, "").split("@")[0] ?? "";
    if (
      (family !== "inet" && family !== "inet6") ||
      !isIpAddress(address) ||
      !Number.isInteger(prefix) ||
      !dev
    ) {
      errors.push({ line, text: l, reason: "not an `ip -o addr` address line" });
      continue;
    }
    value.push({ dev, address: canonicalAddress(address), prefix });
  }
  return { value, errors };
}

const TABLE_NAMES: Record<string, number> = { local: 255, main: 254, default: 253 };

/** `ip -4|-6 rule show`: "4100:\tfrom 10.10.0.11 ipproto tcp sport 80 lookup 4100". */
export function parseIpRuleShow(text: string, family: 4 | 6): Parsed<PolicyRule[]> {
  const value: PolicyRule[] = [];
  const errors: ParseError[] = [];
  for (const [line, l] of lines(text)) {
    const m = /^(\d+):\s+(.*)$/.exec(l.trim());
    if (!m) {
      errors.push({ line, text: l, reason: "not an `ip rule` line" });
      continue;
    }
    const t = (m[2] as string).split(/\s+/);
    const rule: PolicyRule = { family, priority: Number(m[1]), from: "all", table: 0 };
    for (let i = 0; i < t.length; i++) {
      const k = t[i];
      const v = t[i + 1];
      if (k === "from" && v) rule.from = v === "all" ? "all" : canonicalAddress(v);
      else if (k === "ipproto" && v) rule.ipproto = parseRuleProtocol(v);
      else if (k === "sport" && v) rule.sport = Number(v);
      else if ((k === "lookup" || k === "table") && v) rule.table = TABLE_NAMES[v] ?? Number(v);
      else continue;
      i++;
    }
    value.push(rule);
  }
  return { value, errors };
}

const PROTOCOL_BY_NUMBER = new Map<number, IpProtocolName>(
  Object.entries(IP_PROTOCOL_NUMBERS).map(([name, n]) => [n, name as IpProtocolName]),
);

/**
 * An `ipproto` as iproute2 prints it: a name from /etc/protocols (`tcp`), or, on a host without
 * that file, `ipproto-6` (or a bare `6`). Known protocols come back by name, so the three forms
 * of one rule compare equal; other numbers as numbers, other names as printed.
 */
export function parseRuleProtocol(text: string): IpProtocolName | number | string {
  if (Object.hasOwn(IP_PROTOCOL_NUMBERS, text)) return text as IpProtocolName;
  const m = /^(?:ipproto-)?(\d{1,3})$/.exec(text);
  if (!m) return text;
  const n = Number(m[1]);
  return PROTOCOL_BY_NUMBER.get(n) ?? n;
}

/** `ip route show table 4100`: only "default via X ..." belongs there. */
export function parseIpRouteShow(
  text: string,
  family: 4 | 6,
  table = LVS_ROUTE_TABLE,
): Parsed<TableRoute[]> {
  const value: TableRoute[] = [];
  const errors: ParseError[] = [];
  for (const [line, l] of lines(text)) {
    const t = l.trim().split(/\s+/);
    if (t[0] === "default" && t[1] === "via" && t[2] && isIpAddress(t[2])) {
      value.push({ family, table, via: canonicalAddress(t[2]) });
    } else errors.push({ line, text: l, reason: "unexpected route in the LVS table" });
  }
  return { value, errors };
}

/** Outputs of hostReadCommands by id; a file that does not exist is null. */
export type Readback = Partial<Record<ReadCommand["id"], string | null>>;

export function hostStateFromReadback(
  role: HostRole,
  out: Readback,
): { state: HostState; errors: (ParseError & { source: string })[] } {
  const errors: (ParseError & { source: string })[] = [];
  const take = <T>(source: string, p: Parsed<T>): T => {
    for (const e of p.errors) errors.push({ ...e, source });
    return p.value;
  };
  const files: Record<string, string> = {};
  for (const path of MANAGED_FILES) {
    const content = out[`file:${path}`];
    if (typeof content === "string") files[path] = content;
  }
  const sysctls = take("sysctl", parseSysctlOutput(out.sysctl ?? ""));
  const managed: Record<string, string> = Object.fromEntries(
    managedSysctls(role).map((k) => [k, sysctls[k] ?? ""] as const),
  );
  // TUN's only as far as the host has them: a missing device has no value to keep or restore.
  if (role === "realserver") {
    for (const k of Object.keys(TUN_SYSCTLS)) {
      const v = sysctls[k];
      if (v !== undefined) managed[k] = v;
    }
  }
  return {
    state: {
      sysctls: managed,
      addresses: take("addresses", parseIpAddrShow(out.addresses ?? "")),
      rules: [
        ...take("rules4", parseIpRuleShow(out.rules4 ?? "", 4)),
        ...take("rules6", parseIpRuleShow(out.rules6 ?? "", 6)),
      ].filter((r) => r.table === LVS_ROUTE_TABLE),
      routes: [
        ...take("routes4", parseIpRouteShow(out.routes4 ?? "", 4)),
        ...take("routes6", parseIpRouteShow(out.routes6 ?? "", 6)),
      ],
      files,
    },
    errors,
  };
}
