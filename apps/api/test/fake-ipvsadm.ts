// A stand-in for ipvsadm on the sandboxed test hosts, whose kernel (this machine's) has no IPVS.
// It keeps the table in a JSON file and applies commands through the same model code as the
// planner's simulation. It exists only below the real test of the same path: the e2e suite runs
// the real ipvsadm on a real IPVS kernel in the lab VM.
// Usage (from the wrapper scripts): fake-ipvsadm.ts <state.json> <ipvsadm|ipvsadm-save> [args…]
// A file "<state.json>.fail" holding a string makes any command whose line contains it fail.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import {
  applyPlanToState,
  type ClusterState,
  canonicalAddress,
  formatEndpoint,
  type IpvsServiceRef,
  normalizeService,
  type Plan,
  parseIpvsadmArgs,
  renderIpvsadmRestore,
  type ServiceSpec,
} from "@lvs-panel/lvs";

const [stateFile, tool, ...args] = process.argv.slice(2);
const LIST_HEADER = [
  "IP Virtual Server version 1.2.1 (size=4096)",
  "Prot LocalAddress:Port Scheduler Flags",
  "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
  "",
].join("\n");
const FORWARD = { nat: "Masq", dr: "Route", tun: "Tunnel" } as const;
if (!stateFile || !tool) {
  process.stderr.write("usage: fake-ipvsadm.ts <state.json> <tool> [args…]\n");
  process.exit(64);
}
const load = (): ClusterState =>
  existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, "utf8")) as ClusterState)
    : { services: [], hosts: { director: null, realservers: {} } };
const failOn = existsSync(`${stateFile}.fail`)
  ? readFileSync(`${stateFile}.fail`, "utf8").trim()
  : "";

function run(line: string[], state: ClusterState): ClusterState {
  const text = line.join(" ");
  if (failOn && text.includes(failOn)) throw new Error(`${text}: simulated failure`);
  if (line[0] === "-C") return { ...state, services: [] };
  const plan = {
    steps: [
      {
        id: "x",
        host: "director",
        description: text,
        argv: ["ipvsadm", ...line],
        op: { kind: "ipvsadm" },
      },
    ],
  } as unknown as Plan;
  return applyPlanToState(state, plan);
}

try {
  if (tool === "ipvsadm-save" || args[0] === "-S") {
    process.stdout.write(renderIpvsadmRestore(load()));
  } else if (args.includes("-L") || args.includes("-l") || args.some((a) => a.startsWith("-Ln"))) {
    if (args.includes("--thresholds")) process.exit(1); // not modelled: the reader then skips it
    const named = serviceNamed(args);
    if (named === undefined) {
      process.stdout.write(LIST_HEADER);
    } else {
      // One service (`-Ln -t VIP:port`), as the real one lists it; a missing one fails.
      const svc = load().services.find((s) => sameService(s, named));
      if (!svc) throw new Error("No such service");
      process.stdout.write(`${LIST_HEADER}${renderListedService(svc)}`);
    }
  } else if (args[0] === "-R") {
    // Like the real one: lines before a failing line stay applied.
    let state = load();
    const input = readFileSync(0, "utf8");
    try {
      for (const raw of input.split("\n")) {
        const line = raw.trim();
        if (line) state = run(line.split(/\s+/), state);
      }
    } finally {
      writeFileSync(stateFile, JSON.stringify(state));
    }
  } else {
    writeFileSync(stateFile, JSON.stringify(run(args, load())));
  }
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}

/** The service a listing names (`-t`, `-u`, `-f`, with `-L`), if any. */
function serviceNamed(argv: string[]): IpvsServiceRef | undefined {
  const rest = argv.filter((a) => a !== "-L" && a !== "-l" && a !== "-n" && a !== "-Ln");
  if (rest.length === 0) return undefined;
  const cmd = parseIpvsadmArgs(["-D", ...rest]);
  return typeof cmd === "string" ? undefined : cmd.service;
}

function sameService(s: ServiceSpec, ref: IpvsServiceRef): boolean {
  const n = normalizeService(s);
  if (ref.protocol === "fwm") return n.fwmark === ref.fwmark;
  return (
    n.fwmark == null &&
    n.protocol === ref.protocol &&
    n.vip === canonicalAddress(ref.address ?? "") &&
    n.port === ref.port
  );
}

/** A service in `ipvsadm -Ln` layout (no traffic: connection counts are 0). */
function renderListedService(s: ServiceSpec): string {
  const n = normalizeService(s);
  const name =
    n.fwmark != null
      ? `FWM  ${n.fwmark}${n.vip.includes(":") ? " IPv6" : ""}`
      : `${n.protocol.toUpperCase()}  ${formatEndpoint(n.vip, n.port)}`;
  let line = `${name} ${n.scheduler}`;
  if (n.schedulerFlags && n.schedulerFlags.length > 0) line += ` (${n.schedulerFlags.join(",")})`;
  if (n.persistence != null) {
    line += ` persistent ${n.persistence}`;
    if (n.persistenceNetmask != null) line += ` mask ${n.persistenceNetmask}`;
  }
  const lines = [line];
  for (const rs of n.realservers) {
    const weight = rs.enabled ? rs.weight : 0;
    const ep = formatEndpoint(rs.address, rs.port).padEnd(28);
    lines.push(
      `  -> ${ep} ${FORWARD[rs.forwarding ?? n.forwarding].padEnd(7)} ${weight}      0          0`,
    );
  }
  return `${lines.join("\n")}\n`;
}
