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
  type Plan,
  renderIpvsadmRestore,
} from "@lvs-panel/lvs";

const [stateFile, tool, ...args] = process.argv.slice(2);
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
    process.stdout.write("IP Virtual Server version 1.2.1 (size=4096)\n");
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
