// What a Prometheus scrape of GET /metrics costs the panel: one cluster of SERVICES × REALSERVERS
// (default 20 × 20) on a keepalived director whose counters and verdicts the sampler has read,
// and APPLIES finished applies of PLAN_KB each in the database (their times are read once per
// process, at the first scrape). Prints the first scrape and RUNS later ones (median, range).
// `node --import tsx apps/api/bench/metrics.ts`
//
// The director is a stand-in (test/stand-in-director.ts: a real sshd serving generated ipvsadm
// listings); a scrape itself never reaches it.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ensureTestUser,
  grantTestUserSudo,
  makeClientKeys,
  TEST_USER,
} from "@lvs-panel/remote/test/sshd";
import { startStandInDirector } from "../test/stand-in-director.ts";
import { startBenchApp } from "./bench-app.ts";

const SERVICES = Number(process.env.SERVICES ?? 20);
const REALSERVERS = Number(process.env.REALSERVERS ?? 20);
const APPLIES = Number(process.env.APPLIES ?? 300);
const PLAN_KB = Number(process.env.PLAN_KB ?? 200);
const RUNS = Number(process.env.RUNS ?? 30);
const TOKEN = randomBytes(32).toString("hex");

const vip = (s: number) => `10.1.${Math.floor(s / 250)}.${(s % 250) + 1}`;
const rip = (s: number, r: number) => `10.2.${s}.${r + 1}`;

/** `ipvsadm -Ln`, `--stats --exact` and `--rate --exact` of the generated table. */
function listings(dir: string) {
  const head = "IP Virtual Server version 1.2.1 (size=4096)\n";
  const lines = { list: [head], stats: [head], rates: [head] };
  lines.list.push(
    "Prot LocalAddress:Port Scheduler Flags\n",
    "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n",
  );
  lines.stats.push(
    "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n",
    "  -> RemoteAddress:Port\n",
  );
  lines.rates.push(
    "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n",
    "  -> RemoteAddress:Port\n",
  );
  for (let s = 0; s < SERVICES; s++) {
    const service = `TCP  ${vip(s)}:80`;
    lines.list.push(`${service} wlc\n`);
    lines.stats.push(
      `${service} ${s * 1000} ${s * 9000} ${s * 8000} ${s * 900000} ${s * 800000}\n`,
    );
    lines.rates.push(`${service} 3 16 16 1087 1440\n`);
    for (let r = 0; r < REALSERVERS; r++) {
      const rs = `  -> ${rip(s, r)}:80`;
      lines.list.push(`${rs}                Route   ${r % 7 === 0 ? 0 : 1}      ${r} ${r * 3}\n`);
      lines.stats.push(`${rs} ${r * 50} ${r * 450} ${r * 400} ${r * 45000} ${r * 40000}\n`);
      lines.rates.push(`${rs} 1 5 5 356 475\n`);
    }
  }
  const files = {
    list: path.join(dir, "Ln.txt"),
    stats: path.join(dir, "stats.txt"),
    rates: path.join(dir, "rates.txt"),
  };
  for (const key of ["list", "stats", "rates"] as const) {
    writeFileSync(files[key], lines[key].join(""));
    chmodSync(files[key], 0o644);
  }
  return files;
}

const dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-metrics-bench-"));
chmodSync(dir, 0o755);
const keys = await makeClientKeys();
await ensureTestUser();
const revokeSudo = await grantTestUserSudo();
const director = await startStandInDirector({
  keys,
  dir: path.join(dir, "director"),
  listings: listings(dir),
  keepalivedRunning: true,
});
const bench = await startBenchApp("metrics", {
  metrics: { enabled: true, token: TOKEN },
  statsIntervalMs: 1000,
});
const { app } = bench;
try {
  const cookie = await bench.signIn();
  // biome-ignore lint/suspicious/noExplicitAny: bench glue reading known JSON
  const call = async (method: "POST" | "PUT", url: string, payload: object): Promise<any> => {
    const res = await app.inject({ method, url, headers: { cookie }, payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const host = await call("POST", "/api/hosts", {
    name: "director",
    address: "127.0.0.1",
    username: TEST_USER,
    port: director.sshd.port,
    auth: { type: "key", privateKey: keys.ed25519 },
  });
  await call("POST", `/api/hosts/${host.id}/trust`, { fingerprint: director.sshd.fingerprint });
  const cluster = await call("POST", "/api/clusters", { name: "bench", engine: "keepalived" });
  await call("PUT", `/api/clusters/${cluster.id}/director`, {
    hostId: host.id,
    dip: "10.2.0.254",
    interface: "eth1",
  });
  for (let s = 0; s < SERVICES; s++) {
    const svc = await call("POST", `/api/clusters/${cluster.id}/services`, {
      protocol: "tcp",
      vip: vip(s),
      port: 80,
      scheduler: "wlc",
      forwarding: "dr",
    });
    for (let r = 0; r < REALSERVERS; r++) {
      await call("POST", `/api/services/${svc.id}/realservers`, { address: rip(s, r), port: 80 });
    }
  }
  const plan = JSON.stringify({ filler: "x".repeat(PLAN_KB * 1024) });
  const start = Date.now() - APPLIES * 60_000;
  for (let i = 0; i < APPLIES; i++) {
    await app.db.apply.create({
      data: {
        clusterId: cluster.id,
        status: i % 10 === 0 ? "failed" : "succeeded",
        plan,
        desired: "{}",
        startedAt: new Date(start + i * 60_000),
        finishedAt: new Date(start + i * 60_000 + 500 + i * 10),
      },
    });
  }

  /** Wall time, and this process's CPU time (the sampler shares it, but reads rarely). */
  const scrape = async () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const res = await app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    if (res.statusCode !== 200) throw new Error(`/metrics: ${res.statusCode} ${res.body}`);
    const used = process.cpuUsage(cpu);
    return {
      ms: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
      body: res.body,
    };
  };
  // The first scrape of the process reads every apply's times (their rows hold the plans).
  const first = await scrape();
  // Until the sampler has read the director and judged every realserver.
  const want = SERVICES * REALSERVERS;
  for (let i = 0; ; i++) {
    const { body } = await scrape().catch(() => ({ body: "" }));
    const judged = body.match(/^lvs_panel_realserver_health\{.*state="up"\}/gm)?.length ?? 0;
    const counted = body.match(/^lvs_panel_realserver_connections_total\{/gm)?.length ?? 0;
    if (judged === want && counted === want) break;
    if (i > 300) throw new Error(`only ${judged} verdicts and ${counted} counters of ${want}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const times: number[] = [];
  const cpus: number[] = [];
  let size = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ms, cpuMs, body } = await scrape();
    times.push(ms);
    cpus.push(cpuMs);
    size = body.length;
  }
  const spread = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q: number) => (s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(1);
    return `median ${at(0.5)} ms (min ${at(0)}, p90 ${at(0.9)}, max ${at(1)})`;
  };
  console.log(
    `${SERVICES} services × ${REALSERVERS} realservers, ${APPLIES} applies of ${PLAN_KB} KB, ` +
      `${RUNS} scrapes of ${(size / 1024).toFixed(0)} KB: wall ${spread(times)}, ` +
      `CPU ${spread(cpus)}; the process's first scrape ${first.ms.toFixed(1)} ms ` +
      `(CPU ${first.cpuMs.toFixed(1)} ms)`,
  );
} finally {
  await bench.close();
  await director.sshd.stop();
  rmSync(keys.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  await revokeSudo();
}
