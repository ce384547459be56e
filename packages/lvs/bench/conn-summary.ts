// Benchmark of the director-side connection summary (render/conn-summary-awk.ts): bytes sent and
// awk CPU/wall time over generated /proc/net/ip_vs_conn tables, with the machine's awk, busybox
// awk and gawk (those installed). Today's path sends the whole table (its size is printed) and
// parses it in the API (that parse time is printed too, for scale).
// Run: node --import tsx packages/lvs/bench/conn-summary.ts [runs per case, default 3]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConnectionSummary } from "../src/parse/conn-summary.ts";
import { ConnectionTableParser } from "../src/parse/connections.ts";
import {
  type LiveFilterLike,
  renderConnectionSummaryScript,
} from "../src/render/conn-summary-awk.ts";
import { generateProc } from "./generate.ts";

const RUNS = Number(process.argv[2] ?? 3);

function which(cmd: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() || null : null;
}

const awks: [string, string[]][] = [];
const machine = existsSync("/usr/bin/awk") ? "/usr/bin/awk" : which("awk");
if (machine) {
  const version = spawnSync("sh", ["-c", `${machine} -W version 2>&1`], { encoding: "utf8" });
  const name = version.stdout.split("\n")[0]?.split(" ").slice(0, 2).join(" ") || "awk";
  awks.push([name, [machine]]);
}
const busybox = which("busybox");
if (busybox) awks.push(["busybox awk", [busybox, "awk"]]);
else console.log("busybox: not installed, skipped");
const gawk = which("gawk");
if (gawk && gawk !== machine) awks.push(["gawk", [gawk]]);

/** IPv6 entries: clients in a few /48s, 8 services, 40 realservers. */
function generateProc6(count: number): string {
  const g = (n: number) => n.toString(16).padStart(4, "0");
  const states = ["ESTABLISHED", "TIME_WAIT", "FIN_WAIT", "SYN_RECV", "CLOSE_WAIT"];
  const lines = [
    "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n",
  ];
  for (let i = 0; i < count; i++) {
    const client = `2001:0db8:${g(i % 7)}:0000:${g((i >>> 16) & 0xffff)}:0000:${g(i & 0xffff)}:${g(i % 251)}`;
    const vip = `fd00:0000:0000:0000:0000:0000:0000:${g(0x200 + (i % 8))}`;
    const rip = `fd00:0000:0000:0000:0000:0000:0001:${g(0x11 + (i % 40))}`;
    const cport = (1024 + (i % 60000)).toString(16).toUpperCase().padStart(4, "0");
    const state = (states[i % states.length] as string).padEnd(11);
    const vport = i % 3 ? "0050" : "01BB";
    lines.push(
      `TCP ${client} ${cport} ${vip} ${vport} ${rip} 0050 ${state} ${String(i % 900).padStart(7)}\n`,
    );
  }
  return lines.join("");
}

const FILTER_SETS: [string, LiveFilterLike[]][] = [
  ["totals only (no filter)", []],
  ["1 watcher, no filter, 500", [{ limit: 500 }]],
  [
    "3 disjoint filters x 500",
    [
      { state: "TIME_WAIT", limit: 500 },
      { state: "ESTABLISHED", limit: 500 },
      { client: "192.168.2", state: "FIN_WAIT", limit: 500 },
    ],
  ],
  ["client 192.168.2, 500", [{ client: "192.168.2", limit: 500 }]],
  ["client 2001:db8:3:, 500", [{ client: "2001:db8:3:", limit: 500 }]],
];

/** Best of RUNS: CPU (user + system) and wall milliseconds of the script, and its output. */
function measure(script: string): { cpu: number; wall: number; out: string } {
  let cpu = Number.POSITIVE_INFINITY;
  let wall = Number.POSITIVE_INFINITY;
  let out = "";
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync("bash", ["-c", `TIMEFORMAT="%R %U %S"; time { ${script}; }`], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(`awk failed: ${r.stderr}`);
    const times = (r.stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
    const [real = 0, user = 0, sys = 0] = times;
    cpu = Math.min(cpu, (user + sys) * 1000);
    wall = Math.min(wall, real * 1000);
    out = r.stdout;
  }
  return { cpu, wall, out };
}

const dir = mkdtempSync(path.join(tmpdir(), "conn-summary-bench-"));
try {
  const tables: [string, string][] = [];
  for (const n of [100_000, 1_000_000]) {
    const file = path.join(dir, `v4-${n}.txt`);
    writeFileSync(file, generateProc(n).join(""));
    tables.push([`IPv4, ${n.toLocaleString("en")} entries`, file]);
  }
  const v6 = path.join(dir, "v6-1000000.txt");
  writeFileSync(v6, generateProc6(1_000_000));
  tables.push(["IPv6, 1,000,000 entries", v6]);

  console.log(`best of ${RUNS} runs, awk reading a file in the page cache; CPU = user + system\n`);
  for (const [label, file] of tables) {
    const text = readFileSync(file, "utf8");
    const t0 = performance.now();
    new ConnectionTableParser("proc", { summarize: true }).write(text).end();
    const parseMs = performance.now() - t0;
    const mb = (statSync(file).size / 1e6).toFixed(1);
    console.log(`${label}: today ${mb} MB over SSH, then ${parseMs.toFixed(0)} ms to parse`);
    for (const [setName, filters] of FILTER_SETS) {
      const cells: string[] = [];
      let bytes = 0;
      for (const [awkName, argv] of awks) {
        const script = renderConnectionSummaryScript(filters, { path: file, awk: argv });
        const { cpu, wall, out } = measure(script);
        const summary = parseConnectionSummary(out, filters.length);
        if (summary.errors.length > 0) throw new Error(`${awkName}: ${summary.errors.join("; ")}`);
        bytes = Buffer.byteLength(out);
        cells.push(`${awkName} ${cpu.toFixed(0)} ms (wall ${wall.toFixed(0)})`);
      }
      console.log(`  ${setName.padEnd(26)} ${String(bytes).padStart(6)} B  ${cells.join("  ")}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
