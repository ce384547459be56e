// Benchmark: parse a 1,000,000-entry connection table in both formats (counts only, and a
// callback per entry) and plan 1,000 services x 20 realservers. Reports CPU time from
// process.cpuUsage and peak memory sampled during each run. Targets: parse < 1 s CPU and
// < 300 MB peak; plan < 100 ms.
import type { ClusterSpec } from "../src/model.ts";
import { type ConnectionFormat, ConnectionTableParser } from "../src/parse/connections.ts";
import { planCluster } from "../src/plan.ts";
import { generateLnc, generateProc } from "./generate.ts";

const ENTRIES = 1_000_000;
const MB = 1024 * 1024;

interface Row {
  name: string;
  cpuMs: number;
  wallMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  detail: string;
  target: string;
  ok: boolean;
}

/** Sample memory every few ms on a timer, and also on demand from inside the workload. */
class MemorySampler {
  peakRss = 0;
  peakHeap = 0;
  sample = () => {
    const m = process.memoryUsage();
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
  };
}

function measure(
  name: string,
  target: (r: Row) => boolean,
  targetText: string,
  work: (m: MemorySampler) => string,
): Row {
  globalThis.gc?.();
  const m = new MemorySampler();
  m.sample();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const detail = work(m);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  m.sample();
  const row: Row = {
    name,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    peakRssMb: m.peakRss / MB,
    peakHeapMb: m.peakHeap / MB,
    detail,
    target: targetText,
    ok: false,
  };
  row.ok = target(row);
  return row;
}

function parseBench(
  format: ConnectionFormat,
  chunks: string[],
  mode: "counts" | "entries",
): (m: MemorySampler) => string {
  return (m) => {
    let active = 0;
    const parser = new ConnectionTableParser(
      format,
      mode === "counts"
        ? { summarize: true }
        : {
            summarize: false,
            onEntry: (e) => {
              if (e.state === "ESTABLISHED") active++;
            },
          },
    );
    for (let i = 0; i < chunks.length; i++) {
      parser.write(chunks[i] as string);
      if ((i & 63) === 0) m.sample();
    }
    const r = parser.end();
    if (r.entries !== ENTRIES || r.errors.length > 0)
      throw new Error(`parsed ${r.entries}, ${r.errors.length} errors`);
    return mode === "counts"
      ? `${r.entries} entries, ${r.summary?.services.size} services`
      : `${r.entries} entries, ${active} established`;
  };
}

function bigSpec(weightOffset: number): ClusterSpec {
  const services = [];
  for (let i = 0; i < 1000; i++) {
    const realservers = [];
    for (let j = 0; j < 20; j++) {
      realservers.push({
        address: `10.1.${Math.floor(j / 250)}.${(j % 250) + 2}`,
        port: 80,
        weight: 1 + ((j + weightOffset) % 5),
        enabled: true,
      });
    }
    services.push({
      protocol: "tcp" as const,
      vip: `10.1.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`,
      port: 80,
      scheduler: "wrr" as const,
      forwarding: "dr" as const,
      realservers,
    });
  }
  return { director: { dip: "10.1.0.1", interface: "eth0", dipPrefix: 16 }, services };
}

const rows: Row[] = [];
const parseOk = (r: Row) => r.cpuMs < 1000 && r.peakRssMb < 300;
for (const [format, generate] of [
  ["ipvsadm", generateLnc],
  ["proc", generateProc],
] as const) {
  let chunks: string[] | null = generate(ENTRIES);
  const label = format === "ipvsadm" ? "-Lnc" : "/proc/net/ip_vs_conn";
  rows.push(
    measure(
      `parse ${label} (counts)`,
      parseOk,
      "<1000 ms, <300 MB",
      parseBench(format, chunks, "counts"),
    ),
  );
  rows.push(
    measure(
      `parse ${label} (per entry)`,
      parseOk,
      "<1000 ms, <300 MB",
      parseBench(format, chunks, "entries"),
    ),
  );
  chunks = null;
}

const empty: ClusterSpec = { director: null, services: [] };
const a = bigSpec(0);
const b = bigSpec(1);
const planOk = (r: Row) => r.cpuMs < 100;
planCluster(empty, a); // warm-up: the JIT, not the plan, would dominate a first run
rows.push(
  measure(
    "plan 1000x20 from empty",
    planOk,
    "<100 ms",
    () => `${planCluster(empty, a).steps.length} steps`,
  ),
);
rows.push(
  measure(
    "plan 1000x20 weights changed",
    planOk,
    "<100 ms",
    () => `${planCluster(a, b).steps.length} steps`,
  ),
);
rows.push(
  measure(
    "plan 1000x20 unchanged",
    planOk,
    "<100 ms",
    () => `${planCluster(a, a).steps.length} steps`,
  ),
);

const header = [
  "benchmark",
  "cpu ms",
  "wall ms",
  "peak rss MB",
  "peak heap MB",
  "target",
  "ok",
  "result",
];
const table = rows.map((r) => [
  r.name,
  r.cpuMs.toFixed(0),
  r.wallMs.toFixed(0),
  r.peakRssMb.toFixed(0),
  r.peakHeapMb.toFixed(0),
  r.target,
  r.ok ? "yes" : "NO",
  r.detail,
]);
const widths = header.map((h, i) =>
  Math.max(h.length, ...table.map((row) => (row[i] as string).length)),
);
const fmt = (cells: string[]) =>
  cells
    .map((c, i) =>
      i >= 1 && i <= 4 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number),
    )
    .join("  ");
console.log(
  `node ${process.version}, ${ENTRIES.toLocaleString("en")} connection entries (RSS includes the generated input held in memory)`,
);
console.log(fmt(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(fmt(row));
if (rows.some((r) => !r.ok)) process.exitCode = 1;
