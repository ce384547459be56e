import path from "node:path";
import { disconnectLab, ensureLab, labRun } from "@lvs-panel/lab";
import { startBenchApp } from "./bench-app.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const VIP = "10.10.0.200";
const _repoRoot = path.resolve(import.meta.dirname, "../../..");
const lab = await ensureLab((l) => console.log(`[lab] ${l}`));
await labRun("ipvsadm -C; ip -n rs2 link set eth0 up; true");

const bench = await startBenchApp("dead-realserver");
const { app } = bench;
const cookie = await bench.signIn();
const call = async (method: "GET" | "POST" | "PUT" | "PATCH", url: string, payload?: object) => {
  const res = await app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown>) : {} };
};
const must = async (method: "GET" | "POST" | "PUT" | "PATCH", url: string, payload?: object) => {
  const res = await call(method, url, payload);
  if (res.status >= 300)
    throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

async function addHost(name: string, address: string, port: number, jumpHostId?: string) {
  const { id } = await must("POST", "/api/hosts", {
    name,
    address,
    port,
    username: "root",
    auth: { type: "key", privateKey: lab.privateKey },
    ...(jumpHostId ? { jumpHostId } : {}),
  });
  const fingerprint =
    name === "director"
      ? lab.director.hostKeyFingerprint
      : lab.realservers.find((r) => r.name === name)?.hostKeyFingerprint;
  await must("POST", `/api/hosts/${id}/trust`, { fingerprint });
  return String(id);
}

async function applied(): Promise<string> {
  const { applyId } = await must("POST", `/api/clusters/${clusterId}/apply`, {});
  for (;;) {
    const apply = await must("GET", `/api/applies/${applyId}`);
    if (apply.status !== "running") return String(apply.status);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const directorId = await addHost("director", "127.0.0.1", lab.sshPort);
const clusterId = String((await must("POST", "/api/clusters", { name: "dead-bench" })).id);
await must("PUT", `/api/clusters/${clusterId}/director`, {
  hostId: directorId,
  dip: lab.director.dip,
  interface: lab.director.lanInterface,
});
const serviceId = String(
  (
    await must("POST", `/api/clusters/${clusterId}/services`, {
      protocol: "tcp",
      vip: VIP,
      port: 80,
      scheduler: "rr",
      forwarding: "dr",
    })
  ).id,
);
let rs2Id = "";
for (const rs of lab.realservers) {
  const hostId = await addHost(rs.name, rs.address, 22, directorId);
  const { id } = await must("POST", `/api/services/${serviceId}/realservers`, {
    address: rs.address,
    port: 80,
    hostId,
  });
  if (rs.name === "rs2") rs2Id = String(id);
}

const rows: string[] = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    await must("PATCH", `/api/realservers/${rs2Id}`, { draining: false });
    const base = await applied();
    if (base !== "succeeded") throw new Error(`the base apply ${base}`);
    await labRun("ip -n rs2 link set eth0 down");
    await must("PATCH", `/api/realservers/${rs2Id}`, { draining: true });
    let t0 = performance.now();
    const plan = await call("POST", `/api/clusters/${clusterId}/plan`, {});
    const planMs = performance.now() - t0;
    t0 = performance.now();
    const start = await call("POST", `/api/clusters/${clusterId}/apply`, {});
    const applyMs = performance.now() - t0;
    const line = `run ${run}: plan ${plan.status} in ${(planMs / 1000).toFixed(1)} s; apply ${start.status} in ${(applyMs / 1000).toFixed(1)} s`;
    console.log(line, start.status >= 300 ? JSON.stringify(start.body) : "");
    rows.push(line);
    if (start.status === 202) {
      for (;;) {
        const apply = await must("GET", `/api/applies/${String(start.body.applyId)}`);
        if (apply.status !== "running") break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await labRun("ip -n rs2 link set eth0 up");
    await new Promise((r) => setTimeout(r, 2000));
  }
} finally {
  await labRun("ip -n rs2 link set eth0 up; ipvsadm -C; true");
  await bench.close();
  await disconnectLab();
}
console.log(rows.join("\n"));
