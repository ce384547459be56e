// Live view at scale: a 1,000,000-entry connection table read in /proc format, turned into the
// ticks three browsers with different filters receive. Prints how long a tick takes to build and
// how many bytes each browser gets (targets: within 2 s, under 1 MB).
import { readFileSync } from "node:fs";
import path from "node:path";
import { generateProc } from "@lvs-panel/lvs/bench/generate";
import { buildTicks, type LiveFilter } from "../src/services/live/view.ts";

const fixtures = path.resolve(import.meta.dirname, "../../../../shared/fixtures/ipvsadm");
const fixture = (name: string) => readFileSync(path.join(fixtures, name), "utf8");
const ENTRIES = 1_000_000;

const connections = generateProc(ENTRIES).join("");
const filters: LiveFilter[] = [
  { limit: 500 },
  { limit: 1000, state: "ESTABLISHED" },
  { limit: 2000, client: "10.", templates: true },
];
const reading = {
  connections,
  format: "proc" as const,
  list: fixture("mixed-Ln.txt"),
  stats: fixture("mixed-Ln-exact-stats.txt"),
  rates: fixture("mixed-Ln-rate.txt"),
  readMs: 0,
};

buildTicks(reading, filters); // warm-up
const runs: number[] = [];
let sizes: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const ticks = buildTicks(reading, filters);
  sizes = ticks.map((t) => Buffer.byteLength(JSON.stringify(t)));
  runs.push(performance.now() - started);
}
runs.sort((a, b) => a - b);
const median = runs[Math.floor(runs.length / 2)] ?? 0;
const largest = Math.max(...sizes);
console.log("\nLive view, 1,000,000 connections, 3 watchers with different filters (one pass):");
console.log(`  table text: ${(connections.length / 1e6).toFixed(1)} MB`);
console.log(
  `  tick build + serialise, median of 5: ${median.toFixed(0)} ms (target < 2000 ms) ${median < 2000 ? "OK" : "MISSED"}`,
);
console.log(
  `  bytes per watcher: ${sizes.map((s) => `${(s / 1024).toFixed(0)} KiB`).join(", ")} (target < 1 MiB) ${largest < 1024 * 1024 ? "OK" : "MISSED"}`,
);
