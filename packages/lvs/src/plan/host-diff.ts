// Host-level diff for one host. Additions are ordered so a DR realserver's ARP sysctls are set
// before its VIP goes on lo; removals run the other way round (VIP off lo, then sysctls back).
import {
  ADDRESS_SCRIPT_FILE,
  ADDRESS_UNIT_FILE,
  ADDRESS_UNIT_NAME,
  addressKey,
  type HostState,
  LVS_ROUTE_TABLE,
  MANAGED_FILES,
  routeKey,
  ruleKey,
} from "../host/state.ts";
import { hostArgv } from "../render/host-commands.ts";
import { argvToShell, quoteShellArg } from "../render/shell-quote.ts";
import { hostId, type Step, type StepHost } from "./step.ts";

export interface HostDiff {
  prepare: Step[];
  cleanup: Step[];
  persist: Step[];
}

function writeFileScript(path: string, content: string): string {
  const dir = path.slice(0, path.lastIndexOf("/")) || "/";
  const tmp = `${path}.lvs-panel-tmp`;
  // Write to a temporary file and rename, so a cut connection never leaves half a file.
  let script = [
    argvToShell(["mkdir", "-p", dir]),
    `${argvToShell(["printf", "%s", content])} > ${quoteShellArg(tmp)}`,
    argvToShell(["mv", "-f", tmp, path]),
  ].join(" && ");
  if (path === ADDRESS_UNIT_FILE) {
    script += ` && ${argvToShell(["systemctl", "daemon-reload"])} && ${argvToShell(["systemctl", "enable", ADDRESS_UNIT_NAME])}`;
  }
  return script;
}

function removeFileScript(path: string): string {
  if (path === ADDRESS_UNIT_FILE) {
    return `${argvToShell(["systemctl", "disable", ADDRESS_UNIT_NAME])} 2>/dev/null; ${argvToShell(["rm", "-f", path])} && ${argvToShell(["systemctl", "daemon-reload"])}`;
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

/**
 * @param vipCandidates addresses that are VIPs in the current or desired table: only those are
 *   ever removed from a host, so the DIP, 127.0.0.1 or a keepalived address are never touched.
 */
export function diffHost(
  host: StepHost,
  current: HostState,
  desired: HostState,
  vipCandidates: ReadonlySet<string>,
): HostDiff {
  const h = hostId(host);
  const mk = (
    id: string,
    description: string,
    rest: Omit<Step, "id" | "host" | "description">,
  ) => ({
    id: `${h}:${id}`,
    host,
    description,
    ...rest,
  });
  const out: HostDiff = { prepare: [], cleanup: [], persist: [] };
  const revertSysctls: Step[] = [];
  for (const [key, value] of Object.entries(desired.sysctls)) {
    if (current.sysctls[key] === value) continue;
    const s = mk(`sysctl:${key}`, `Set ${key}=${value}`, {
      argv: hostArgv.sysctl(key, value),
      op: { kind: "sysctl", key, value },
    });
    // Turning a setting on is preparation; setting it back to the default is cleanup.
    if (value === "0") revertSysctls.push(s);
    else out.prepare.push(s);
  }

  const ours = new Set([...vipCandidates, ...scriptAddresses(current)]);
  const want = new Set(desired.addresses.map(addressKey));
  const have = new Set(current.addresses.map(addressKey));
  for (const a of desired.addresses) {
    if (have.has(addressKey(a))) continue;
    out.prepare.push(
      mk(`addr:add:${addressKey(a)}`, `Add ${a.address}/${a.prefix} on ${a.dev}`, {
        argv: hostArgv.addAddress(a),
        op: { kind: "address", action: "add", address: a },
      }),
    );
  }
  for (const a of current.addresses) {
    const maxPrefix = a.address.includes(":") ? 128 : 32;
    if (want.has(addressKey(a)) || !ours.has(a.address) || a.prefix !== maxPrefix) continue;
    out.cleanup.push(
      mk(`addr:del:${addressKey(a)}`, `Remove ${a.address}/${a.prefix} from ${a.dev}`, {
        argv: hostArgv.removeAddress(a),
        op: { kind: "address", action: "remove", address: a },
      }),
    );
  }

  // Routes before rules: a rule pointing at a still-empty table would fall through anyway, but
  // this way a rule never exists without its route.
  const wantRoutes = new Set(desired.routes.map(routeKey));
  const haveRoutes = new Set(current.routes.map(routeKey));
  for (const r of desired.routes) {
    if (haveRoutes.has(routeKey(r))) continue;
    out.prepare.push(
      mk(`route:add:${routeKey(r)}`, `Route replies via ${r.via} in table ${r.table}`, {
        argv: hostArgv.addRoute(r),
        op: { kind: "route", action: "add", route: r },
      }),
    );
  }
  const wantRules = new Set(desired.rules.map(ruleKey));
  const haveRules = new Set(current.rules.map(ruleKey));
  for (const r of desired.rules) {
    if (haveRules.has(ruleKey(r))) continue;
    out.prepare.push(
      mk(
        `rule:add:${ruleKey(r)}`,
        `Send ${r.ipproto ?? "all"} replies from ${r.from}:${r.sport ?? "*"} via table ${r.table}`,
        {
          argv: hostArgv.addRule(r),
          op: { kind: "rule", action: "add", rule: r },
        },
      ),
    );
  }
  for (const r of current.rules) {
    if (wantRules.has(ruleKey(r)) || r.table !== LVS_ROUTE_TABLE) continue;
    out.cleanup.push(
      mk(`rule:del:${ruleKey(r)}`, `Remove reply rule for ${r.from}:${r.sport ?? "*"}`, {
        argv: hostArgv.removeRule(r),
        op: { kind: "rule", action: "remove", rule: r },
      }),
    );
  }
  for (const r of current.routes) {
    if (wantRoutes.has(routeKey(r)) || r.table !== LVS_ROUTE_TABLE) continue;
    out.cleanup.push(
      mk(`route:del:${routeKey(r)}`, `Remove reply route via ${r.via}`, {
        argv: hostArgv.removeRoute(r),
        op: { kind: "route", action: "remove", route: r },
      }),
    );
  }
  out.cleanup.push(...revertSysctls);

  const removals: Step[] = [];
  for (const path of MANAGED_FILES) {
    const content = desired.files[path];
    const existing = current.files[path];
    if (content !== undefined && content !== existing) {
      out.persist.push(
        mk(`file:write:${path}`, `Write ${path}`, {
          script: writeFileScript(path, content),
          op: { kind: "file", action: "write", path, content },
        }),
      );
    } else if (content === undefined && existing !== undefined) {
      removals.unshift(
        mk(`file:remove:${path}`, `Remove ${path}`, {
          script: removeFileScript(path),
          op: { kind: "file", action: "remove", path },
        }),
      );
    }
  }
  // Files go away in reverse order: the unit is disabled before the script it runs disappears.
  out.persist.push(...removals);
  return out;
}
