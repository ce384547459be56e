// A small change on a big applied table, as an operator makes it during an incident: one
// realserver's weight, or one realserver drained, on 100 services × 20 realservers on the lab
// director. Each run previews the change (POST /plan, as the UI does before it applies), then
// applies that plan; timed from the POST of the apply to the end of its event stream, over the
// warm connection the preview left. Target: ≤ 0.5 s.
// Against the floor: one `ipvsadm -e` as a new exec on an already open SSH connection (what
// `ssh director ipvsadm -e …` costs over a multiplexed connection), and the same command on an
// already open shell. Floor and panel alternate, BENCH_RUNS times each (default 9; median and
// range reported: timing under qemu TCG swings by tens of percent from run to run).
//   node --import tsx apps/api/bench/small-change.ts   (root; boots the lab if it is down)
//   BENCH_VERBOSE=1 prints each apply's events and round trips. BENCH_STOP_IF=<file>: stop
//   after the current run once that file exists (the lab is shared), reporting what ran.
import { existsSync } from "node:fs";
import { disconnectLab, ensureLab } from "@lvs-panel/lab";
import { SshPool } from "@lvs-panel/remote";
import { startBenchApp } from "./bench-app.ts";
import {
  benchSpec,
  benchVip,
  countRoundTrips,
  createBenchCluster,
  directorTarget,
  eventTimeline,
  median,
  resetDirector,
  timedApply,
} from "./lab-cluster.ts";

const SERVICES = Number(process.env.BENCH_SERVICES ?? 100);
const REALSERVERS = Number(process.env.BENCH_REALSERVERS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const stopIf = process.env.BENCH_STOP_IF;
const verbose = (line: string) => {
  if (process.env.BENCH_VERBOSE) console.log(line);
};
const lab = await ensureLab((l) => console.log(`[lab] ${l}`));
const spec = benchSpec(lab, SERVICES, REALSERVERS);

await resetDirector();
const bench = await startBenchApp("small-change");
const { app } = bench;
const trips = countRoundTrips(app);
const cookie = await bench.signIn();
const { clusterId } = await createBenchCluster(bench, cookie, lab, spec, {
  engine: "ipvsadm",
  check: "none",
});
const call = async (method: "POST" | "PATCH", url: string, payload: object = {}) => {
  const res = await app.inject({ method, url, headers: { cookie }, payload });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};
const whole = await timedApply(bench, cookie, clusterId);
if (whole.status !== "succeeded") throw new Error(`the table was not applied: ${whole.status}`);
console.log(
  `table applied: ${SERVICES} × ${REALSERVERS} in ${(whole.ms / 1000).toFixed(1)} s (fresh connection)`,
);

// The realservers the runs change: the middle service's, so neither end of the table.
const service = await app.db.virtualService.findFirstOrThrow({
  where: { clusterId, vip: benchVip(Math.floor(SERVICES / 2)) },
  include: { realservers: { orderBy: { address: "asc" } } },
});
const weighted = service.realservers[0];
const drained = service.realservers[1];
if (!weighted || !drained) throw new Error("the bench service has fewer than 2 realservers");

interface Run {
  ms: number;
  /** From the POST of the apply to its 202 (the plan again, the generation check, the record). */
  acceptedMs: number;
  planMs: number;
  status: string;
  roundTrips: number;
  fromPreview: boolean;
}

/** Changes the cluster, previews (untimed, as the operator reads it), applies (timed). */
async function change(patch: () => Promise<unknown>): Promise<Run> {
  await patch();
  const p0 = performance.now();
  const view = await call("POST", `/api/clusters/${clusterId}/plan`);
  const planMs = performance.now() - p0;
  // The operator reads the preview before applying; the VM settles meanwhile.
  await new Promise((r) => setTimeout(r, 300));
  trips.reset();
  const t0 = performance.now();
  const r = await timedApply(bench, cookie, clusterId, { planHash: view.hash });
  for (const line of eventTimeline(r.events, t0)) verbose(line);
  verbose(trips.log.join("\n"));
  const snapshot = r.events.find((e) => e.stage === "snapshot")?.message ?? "";
  return {
    ms: r.ms,
    acceptedMs: r.startedMs,
    planMs,
    status: String(r.status),
    roundTrips: trips.count,
    fromPreview: /generation checked/.test(snapshot),
  };
}

let weight = weighted.weight;
const weightOnce = () =>
  change(() => {
    weight = weight === 1 ? 7 : 1;
    return call("PATCH", `/api/realservers/${weighted.id}`, { weight });
  });
let draining = false;
const drainOnce = () =>
  change(() => {
    draining = !draining;
    return call("PATCH", `/api/realservers/${drained.id}`, { draining });
  });

// The floor: `ipvsadm -e` of the realserver the panel drains, to the weight it has (the table
// stays as the panel left it), on a connection of its own, warmed first.
const floorPool = new SshPool();
const floorTarget = directorTarget(lab, "bench-floor");
await floorPool.run(floorTarget, { argv: ["true"] });
const floorShell = floorPool.session(floorTarget);
await floorShell.run({ script: "true" });
const floorArgv = () => [
  "ipvsadm",
  "-e",
  "-t",
  `${service.vip}:80`,
  "-r",
  `${drained.address}:${drained.port}`,
  "-m",
  "-w",
  String(draining ? 0 : drained.weight),
];
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
const floorExec = () => timed(() => floorPool.run(floorTarget, { argv: floorArgv() }));
const floorOnShell = () => timed(() => floorShell.run({ argv: floorArgv() }));

const runs = {
  weight: [] as Run[],
  drain: [] as Run[],
  exec: [] as number[],
  shell: [] as number[],
};
for (let i = 0; i < RUNS; i++) {
  if (stopIf && existsSync(stopIf)) {
    console.log(`${stopIf} exists: stopping after ${i} runs`);
    break;
  }
  // Which goes first alternates, so a slow spell of the emulated machine hits each alike.
  const order =
    i % 2 === 0
      ? [floorExec, weightOnce, floorOnShell, drainOnce]
      : [drainOnce, floorOnShell, weightOnce, floorExec];
  for (const step of order) {
    const out = await step();
    if (typeof out === "number") (step === floorExec ? runs.exec : runs.shell).push(out);
    else (step === weightOnce ? runs.weight : runs.drain).push(out);
    await new Promise((r) => setTimeout(r, 200));
  }
}
await floorShell.close();
await floorPool.closeAll();
await bench.close();
await resetDirector();
await disconnectLab();

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const spread = (xs: readonly number[]) =>
  xs.length === 0
    ? "no runs"
    : `median ${s(median(xs))}, ${s(Math.min(...xs))}–${s(Math.max(...xs))} (N=${xs.length})`;
const describe = (name: string, rs: readonly Run[]) => {
  const statuses = [...new Set(rs.map((r) => r.status))].join("/");
  const path = rs.every((r) => r.fromPreview) ? "from the preview" : "NOT all from the preview";
  const rts = [...new Set(rs.map((r) => r.roundTrips))].join("/");
  console.log(
    `  ${name}: ${statuses}, ${path}, ${rts} SSH round trips; POST → end of events ${spread(rs.map((r) => r.ms))}; POST → 202 ${spread(rs.map((r) => r.acceptedMs))}; its preview ${spread(rs.map((r) => r.planMs))}`,
  );
};
console.log(
  `\nOne small change on the applied ${SERVICES} × ${REALSERVERS} table (lab director, warm connection; target ≤ 0.5 s):`,
);
describe("one weight", runs.weight);
describe("one drain", runs.drain);
console.log(`  floor, ipvsadm -e as a new exec on an open connection: ${spread(runs.exec)}`);
console.log(`  the same on an already open shell: ${spread(runs.shell)}`);
