// Read routes under load: the real server (its own process, real SQLite file with a realistic
// cluster; or LOAD_DATABASE_URL, e.g. an empty PostgreSQL database), 50 concurrent clients for
// 30 s with autocannon, authenticated by an API token, while browsers watch the cluster's live
// stream. Target: p99 under 50 ms, no errors, no lost requests.
// `npm run bench:load`
//
// The live stream reads a director over real SSH (test/stand-in-director.ts): a synthetic table of
// LOAD_CONNECTIONS entries (default 50,000) and the recorded ipvsadm output in ../shared/fixtures.
// The real kernel's tables are exercised by the lab e2e tests.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateProc } from "@lvs-panel/lvs/bench/generate";
import { makeClientKeys } from "@lvs-panel/remote/test/sshd";
import autocannon from "autocannon";
import { startStandInDirector } from "../test/stand-in-director.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-load-"));
const port = 8123;
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  DATABASE_URL: process.env.LOAD_DATABASE_URL ?? `file:${dir}/load.db`,
  PORT: String(port),
  LVS_PANEL_ADMIN_PASSWORD: "load-test-password",
  LOG_LEVEL: "warn",
};
const duration = Number(process.env.LOAD_SECONDS ?? 30);
const watchers = Number(process.env.LOAD_WATCHERS ?? 10);

// The director: recorded ipvsadm output and a synthetic connection table over real SSH.
const connFile = path.join(dir, "ip_vs_conn");
writeFileSync(connFile, generateProc(Number(process.env.LOAD_CONNECTIONS ?? 50_000)).join(""));
const keys = await makeClientKeys();
const { sshd } = await startStandInDirector({
  keys,
  dir: path.join(dir, "director"),
  connectionTable: connFile,
});

execFileSync(path.join(repoRoot, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
  cwd: repoRoot,
  env,
  stdio: "ignore",
});
const server: ChildProcess = spawn(
  process.execPath,
  [
    ...(process.env.LOAD_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []),
    "--import",
    "tsx",
    "apps/api/src/server.ts",
  ],
  { cwd: repoRoot, env, stdio: "inherit" },
);

async function waitUp() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not start");
}

try {
  await waitUp();
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "load-test-password" }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  // biome-ignore lint/suspicious/noExplicitAny: bench glue reading known JSON
  const call = async (method: string, url: string, body?: unknown): Promise<any> =>
    (
      await fetch(`${base}${url}`, {
        method,
        headers: { cookie, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json();
  const { token } = await call("POST", "/api/tokens", { name: "load" });
  // A realistic cluster: 10 services × 10 realservers.
  const cluster = await call("POST", "/api/clusters", { name: "load" });
  for (let s = 0; s < 10; s++) {
    const svc = await call("POST", `/api/clusters/${cluster.id}/services`, {
      protocol: "tcp",
      vip: `10.1.0.${s + 1}`,
      port: 80,
      scheduler: "wlc",
      forwarding: "dr",
    });
    for (let r = 0; r < 10; r++)
      await call("POST", `/api/services/${svc.id}/realservers`, {
        address: `10.1.1.${s * 10 + r + 1}`,
        port: 80,
      });
  }

  // The director and the browsers watching its live stream.
  const host = await call("POST", "/api/hosts", {
    name: "director",
    address: "127.0.0.1",
    port: sshd.port,
    auth: { type: "key", privateKey: keys.ed25519 },
  });
  await call("POST", `/api/hosts/${host.id}/trust`, { fingerprint: sshd.fingerprint });
  await call("PUT", `/api/clusters/${cluster.id}/director`, {
    hostId: host.id,
    dip: "10.1.1.254",
    interface: "eth1",
  });
  const live = new AbortController();
  const ticks: number[] = [];
  const gaps: number[] = [];
  const watch = async (limit: number) => {
    const res = await fetch(`${base}/api/clusters/${cluster.id}/live?limit=${limit}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: live.signal,
    });
    if (!res.ok || !res.body) throw new Error(`live stream: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let count = 0;
    let last = performance.now();
    try {
      for await (const chunk of res.body) {
        const text = decoder.decode(chunk, { stream: true });
        for (const _ of text.matchAll(/^event: tick$/gm)) {
          const now = performance.now();
          if (count > 0) gaps.push(now - last);
          last = now;
          count++;
        }
      }
    } catch {
      // aborted at the end of the run
    }
    ticks.push(count);
  };
  const watching = Array.from({ length: watchers }, (_, i) => watch(100 * (i + 1)));

  const result = await autocannon({
    url: base,
    connections: 50,
    duration,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      { method: "GET", path: `/api/clusters/${cluster.id}` },
      { method: "GET", path: "/api/clusters" },
      { method: "GET", path: "/api/hosts" },
      { method: "GET", path: "/api/health" },
    ],
  });
  live.abort();
  await Promise.all(watching);
  const { latency, requests, errors, timeouts, non2xx } = result;
  console.log(
    `\nRead routes, 50 connections, ${duration} s (token auth, 10 services × 10 realservers):`,
  );
  gaps.sort((a, b) => a - b);
  console.log(
    `  live stream: ${watchers} watchers; ticks received ${ticks.join(", ")}; gap between ticks p50 ${gaps[Math.floor(gaps.length / 2)]?.toFixed(0)} ms, max ${gaps.at(-1)?.toFixed(0)} ms`,
  );
  console.log(
    `  requests: ${requests.total} (${requests.average.toFixed(0)}/s); errors ${errors}, timeouts ${timeouts}, non-2xx ${non2xx}`,
  );
  console.log(
    `  latency ms: p50 ${latency.p50}, p90 ${latency.p90}, p99 ${latency.p99}, max ${latency.max}`,
  );
  console.log(
    `  target p99 < 50 ms: ${latency.p99 < 50 ? "met" : "MISSED"}; nothing lost: ${errors + timeouts + non2xx === 0 ? "yes" : "NO"}`,
  );
} finally {
  server.kill("SIGTERM");
  await sshd.stop();
  rmSync(keys.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
}
