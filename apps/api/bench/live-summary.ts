// The live view's cost on a real director (issue 18): the lab's kernel fills its IPVS connection
// table with a SYN flood from the DR client (random sources, so every SYN is an entry that stays
// in SYN_RECV), then one tick's read is run as the panel runs it: the director's own summary
// (renderConnectionSummaryScript, three watchers at limit 500) against today's whole-table `cat`.
// Prints entries, bytes sent and the director's CPU (user+sys) per read.
//   node --import tsx apps/api/bench/live-summary.ts   (root; boots the lab if it is down)
//   BENCH_FLOOD_SECONDS (default 4) and BENCH_RUNS (default 5).
import { disconnectLab, ensureLab, labExec, labRun } from "@lvs-panel/lab";
import { quoteShellArg, renderConnectionSummaryScript } from "@lvs-panel/lvs";

const VIP = "192.168.77.100";
const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 4);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

await ensureLab((l) => console.log(`[lab] ${l}`));
await labRun(
  [
    'p=$(cat /run/keepalived.pid 2>/dev/null) && kill "$p" 2>/dev/null; true',
    "ipvsadm -C",
    `ipvsadm -A -t ${VIP}:80 -s rr`,
    ...["10.10.0.11", "10.10.0.12", "10.10.0.13"].map(
      (rs) => `ipvsadm -a -t ${VIP}:80 -r ${rs}:80 -g`,
    ),
    // Long enough for the table to stay full while it is measured.
    "ipvsadm --set 900 120 300",
    // DR: the director answers for the VIP on the clients' segment.
    `(ip addr add ${VIP}/32 dev lan0 2>/dev/null; true)`,
    `ip -n clientdr route replace ${VIP}/32 dev eth0`,
  ].join(" && "),
);
// hping3 in the background on the DR client; random sources keep every entry half-open.
await labRun(
  `(ip netns exec clientdr timeout ${FLOOD_SECONDS} hping3 -S -p 80 -i u100 --rand-source ${VIP} >/dev/null 2>&1 &) ; sleep ${FLOOD_SECONDS + 1}`,
);

const filters = [
  { limit: 500 },
  { limit: 500, state: "SYN_RECV" },
  { limit: 500, service: `TCP ${VIP}:80`, client: "10." },
];
const summary = renderConnectionSummaryScript(filters);
/** One read on the director: its output's bytes and the CPU it cost there (bash's `times`). */
async function measure(script: string) {
  // `times` after the read: its second line is the CPU of the shell's children, the read alone.
  const wrapped = `( ${script} ) > /tmp/live-read.out 2>/dev/null; times; echo "bytes $(wc -c < /tmp/live-read.out)"`;
  const r = await labExec(`bash -c ${quoteShellArg(wrapped)}`);
  const children = /\n(\d+)m([\d.]+)s (\d+)m([\d.]+)s\n/.exec(r.stdout);
  const cpuMs = children
    ? (Number(children[1]) * 60 +
        Number(children[2]) +
        Number(children[3]) * 60 +
        Number(children[4])) *
      1000
    : Number.NaN;
  const bytes = Number(/bytes (\d+)/.exec(r.stdout)?.[1] ?? "NaN");
  return { bytes, cpuMs };
}

const entries = Number((await labRun("wc -l < /proc/net/ip_vs_conn")).trim()) - 1;
const byState = await labRun(
  "awk 'NR > 1 { n[$8]++ } END { for (s in n) print s, n[s] }' /proc/net/ip_vs_conn",
);
const rows: { summary: { bytes: number; cpuMs: number }; cat: { bytes: number; cpuMs: number } }[] =
  [];
for (let i = 0; i < RUNS; i++) {
  rows.push({
    summary: await measure(summary),
    cat: await measure("cat /proc/net/ip_vs_conn"),
  });
}
await labRun(
  `ipvsadm -C; ipvsadm --set 900 120 300; ip addr del ${VIP}/32 dev lan0 2>/dev/null; true`,
);
await disconnectLab();

const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
console.log(
  `\nLive view read on the lab director with ${entries} connection entries (${byState.trim().replace(/\n/g, ", ")}), ${RUNS} runs:`,
);
console.log(
  `  director's summary (3 watchers, limit 500): ${range(rows.map((r) => r.summary.bytes))} bytes, director CPU ${range(rows.map((r) => r.summary.cpuMs))} ms`,
);
console.log(
  `  whole table (cat, today's read):           ${range(rows.map((r) => r.cat.bytes))} bytes, director CPU ${range(rows.map((r) => r.cat.cpuMs))} ms`,
);
