// Host-level diff for one host. Additions are ordered so a DR realserver's ARP sysctls are set
// before its VIP goes on lo; removals run the other way round (VIP off lo, then sysctls back).
// A TUN realserver's tunl0 exists only once its first address step loaded ipip, so the sysctls of
// that device come after the addresses.
import { sameAddresses, sameRoutes, sameRules } from "../host/file-memo.ts";
import {
  ADDRESS_SCRIPT_FILE,
  ADDRESS_UNIT_FILE,
  ADDRESS_UNIT_NAME,
  addressKey,
  emptyHostState,
  type HostAddress,
  type HostState,
  LVS_ROUTE_TABLE,
  MANAGED_FILES,
  routeKey,
  ruleKey,
  TUNNEL_DEVICE,
} from "../host/state.ts";
import { renderFileWrite } from "../render/file-writes.ts";
import { hostArgv, tunnelAddressScript } from "../render/host-commands.ts";
import { argvToShell } from "../render/shell-quote.ts";
import { hostKey, type Step, type StepHost } from "./step.ts";

export interface HostDiff {
  prepare: Step[];
  cleanup: Step[];
  persist: Step[];
}

function removeFileScript(path: string): string {
  if (path === ADDRESS_UNIT_FILE) {
    return `${argvToShell(["systemctl", "disable", ADDRESS_UNIT_NAME])} 2>/dev/null; ${argvToShell(["rm", "-f", path])} && if test -d /run/systemd/system; then ${argvToShell(["systemctl", "daemon-reload"])}; fi`;
  }
  return argvToShell(["rm", "-f", path]);
}

/** Addresses our own persisted script puts up: ours to remove even if no service names them. */
function scriptAddresses(state: HostState): string[] {
  const script = state.files[ADDRESS_SCRIPT_FILE] ?? "";
  return [...script.matchAll(/ip addr replace ([0-9a-fA-F:.]+)\/\d+ dev/g)].map(
    (m) => m[1] as string,
  );
}

/** The strings of one address's steps. */
interface AddressText {
  key: string;
  cidr: string;
  add: string;
  remove: string;
}

/**
 * Step strings shared by every host that carries an address: with 1,000 VIPs on each of 20
 * realservers, a plan from scratch would otherwise build the same strings 20 times over.
 * Found by object first (desired states share one object per VIP), then by key.
 */
export class HostStepMemo {
  private readonly byObject = new Map<HostAddress, AddressText>();
  private readonly byKey = new Map<string, AddressText>();
  /** By path, then content: every realserver writes the same address script. */
  private readonly writes = new Map<string, Map<string, string>>();

  writeScript(path: string, content: string): string {
    let byContent = this.writes.get(path);
    if (!byContent) {
      byContent = new Map();
      this.writes.set(path, byContent);
    }
    let script = byContent.get(content);
    if (script === undefined) {
      script = renderFileWrite(path, content);
      byContent.set(content, script);
    }
    return script;
  }

  address(a: HostAddress): AddressText {
    let t = this.byObject.get(a);
    if (t) return t;
    const key = addressKey(a);
    t = this.byKey.get(key);
    if (!t) {
      const cidr = `${a.address}/${a.prefix}`;
      t = { key, cidr, add: `Add ${cidr} on ${a.dev}`, remove: `Remove ${cidr} from ${a.dev}` };
      this.byKey.set(key, t);
    }
    this.byObject.set(a, t);
    return t;
  }
}

/** The role's settings and their defaults, once: every host diff consults them. */
const DEFAULT_SYSCTLS = {
  director: emptyHostState("director").sysctls,
  realserver: emptyHostState("realserver").sysctls,
};

/** Per-device settings of the device a TUN address step creates: they follow the addresses. */
const TUNNEL_SYSCTL_PREFIX = `net.ipv4.conf.${TUNNEL_DEVICE}.`;

/**
 * Same runtime state and files: the diff is empty, so the per-item diff can be skipped. Settings
 * compare by the desired ones: a host's read also has those the panel leaves alone there (TUN's
 * rp_filter on a host without TUN), which the diff never sets.
 */
function sameHostState(a: HostState, b: HostState): boolean {
  if (a === b) return true;
  for (const k of Object.keys(b.sysctls)) if (a.sysctls[k] !== b.sysctls[k]) return false;
  for (const path of MANAGED_FILES) if (a.files[path] !== b.files[path]) return false;
  return (
    sameAddresses(a.addresses, b.addresses) &&
    sameRoutes(a.routes, b.routes) &&
    sameRules(a.rules, b.rules)
  );
}

/**
 * @param vipCandidates addresses that are VIPs in the current or desired table: only those are
 *   ever removed from a host, so the DIP, 127.0.0.1 or a keepalived address are never touched.
 */
export function diffHost(
  host: StepHost,
  current: HostState,
  desired: HostState,
  vipCandidates: ReadonlySet<string>,
  memo = new HostStepMemo(),
): HostDiff {
  if (sameHostState(current, desired)) return { prepare: [], cleanup: [], persist: [] };
  const h = hostKey(host);
  // Steps are written out as literals (no helper spreading a rest object): a plan from scratch
  // builds tens of thousands of them.
  const out: HostDiff = { prepare: [], cleanup: [], persist: [] };
  const revertSysctls: Step[] = [];
  const deviceSysctls: Step[] = [];
  const defaults = DEFAULT_SYSCTLS[host === "director" ? "director" : "realserver"];
  for (const [key, value] of Object.entries(desired.sysctls)) {
    if (current.sysctls[key] === value) continue;
    const s: Step = {
      id: `${h}:sysctl:${key}`,
      host,
      description: `Set ${key}=${value}`,
      argv: hostArgv.sysctl(key, value),
      op: { kind: "sysctl", key, value },
    };
    // Setting one up is preparation; setting it back to the default is cleanup. (TUN's rp_filter
    // has no default: turning it off is what prepares the host.)
    if (value === defaults[key]) revertSysctls.push(s);
    else if (key.startsWith(TUNNEL_SYSCTL_PREFIX)) deviceSysctls.push(s);
    else out.prepare.push(s);
  }

  const wantText = desired.addresses.map((a) => memo.address(a));
  const haveText = current.addresses.map((a) => memo.address(a));
  const want = new Set(wantText.map((t) => t.key));
  const have = new Set(haveText.map((t) => t.key));
  const addPrefix = `${h}:addr:add:`;
  for (let i = 0; i < desired.addresses.length; i++) {
    const a = desired.addresses[i] as HostAddress;
    const t = wantText[i] as AddressText;
    if (have.has(t.key)) continue;
    out.prepare.push(
      a.dev === TUNNEL_DEVICE
        ? {
            id: addPrefix + t.key,
            host,
            description: t.add,
            script: tunnelAddressScript(a, t.cidr),
            op: { kind: "address", action: "add", address: a },
          }
        : {
            id: addPrefix + t.key,
            host,
            description: t.add,
            argv: hostArgv.addAddress(a, t.cidr),
            op: { kind: "address", action: "add", address: a },
          },
    );
  }
  for (const s of deviceSysctls) out.prepare.push(s);
  let ours: ReadonlySet<string> | null = null;
  for (let i = 0; i < current.addresses.length; i++) {
    const a = current.addresses[i] as HostAddress;
    const t = haveText[i] as AddressText;
    const maxPrefix = a.address.includes(":") ? 128 : 32;
    if (want.has(t.key) || a.prefix !== maxPrefix) continue;
    // Only read our own script when some address might have to go.
    ours ??= new Set([...vipCandidates, ...scriptAddresses(current)]);
    if (!ours.has(a.address)) continue;
    out.cleanup.push({
      id: `${h}:addr:del:${t.key}`,
      host,
      description: t.remove,
      argv: hostArgv.removeAddress(a, t.cidr),
      op: { kind: "address", action: "remove", address: a },
    });
  }

  // Routes before rules: a rule pointing at a still-empty table would fall through anyway, but
  // this way a rule never exists without its route.
  const wantRoutes = new Set(desired.routes.map(routeKey));
  const haveRoutes = new Set(current.routes.map(routeKey));
  for (const r of desired.routes) {
    const key = routeKey(r);
    if (haveRoutes.has(key)) continue;
    out.prepare.push({
      id: `${h}:route:add:${key}`,
      host,
      description: `Route replies via ${r.via} in table ${r.table}`,
      argv: hostArgv.addRoute(r),
      op: { kind: "route", action: "add", route: r },
    });
  }
  const wantRules = new Set(desired.rules.map(ruleKey));
  const haveRules = new Set(current.rules.map(ruleKey));
  for (const r of desired.rules) {
    const key = ruleKey(r);
    if (haveRules.has(key)) continue;
    out.prepare.push({
      id: `${h}:rule:add:${key}`,
      host,
      description: `Send ${typeof r.ipproto === "number" ? `protocol ${r.ipproto}` : (r.ipproto ?? "all")} replies from ${r.from}:${r.sport ?? "*"} via table ${r.table}`,
      argv: hostArgv.addRule(r),
      op: { kind: "rule", action: "add", rule: r },
    });
  }
  for (const r of current.rules) {
    const key = ruleKey(r);
    if (wantRules.has(key) || r.table !== LVS_ROUTE_TABLE) continue;
    out.cleanup.push({
      id: `${h}:rule:del:${key}`,
      host,
      description: `Remove reply rule for ${r.from}:${r.sport ?? "*"}`,
      argv: hostArgv.removeRule(r),
      op: { kind: "rule", action: "remove", rule: r },
    });
  }
  for (const r of current.routes) {
    const key = routeKey(r);
    if (wantRoutes.has(key) || r.table !== LVS_ROUTE_TABLE) continue;
    // `ip route replace default … table T` (the add) already replaced it: a `del` would fail.
    if (desired.routes.some((d) => d.family === r.family && d.table === r.table)) continue;
    out.cleanup.push({
      id: `${h}:route:del:${key}`,
      host,
      description: `Remove reply route via ${r.via}`,
      argv: hostArgv.removeRoute(r),
      op: { kind: "route", action: "remove", route: r },
    });
  }
  out.cleanup.push(...revertSysctls);

  const removals: Step[] = [];
  for (const path of MANAGED_FILES) {
    const content = desired.files[path];
    const existing = current.files[path];
    if (content !== undefined && content !== existing) {
      out.persist.push({
        id: `${h}:file:write:${path}`,
        host,
        description: `Write ${path}`,
        script: memo.writeScript(path, content),
        op: { kind: "file", action: "write", path, content },
      });
    } else if (content === undefined && existing !== undefined) {
      removals.unshift({
        id: `${h}:file:remove:${path}`,
        host,
        description: `Remove ${path}`,
        script: removeFileScript(path),
        op: { kind: "file", action: "remove", path },
      });
    }
  }
  // Files go away in reverse order: the unit is disabled before the script it runs disappears.
  out.persist.push(...removals);
  return out;
}
