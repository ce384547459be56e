// A director that is unreachable or slow never blocks the UI or other clusters. Cluster A's director
// is a TCP listener that accepts and never sends an SSH banner; cluster A2's director is a real sshd
// whose ipvsadm-save hangs. While their plans (and A's live stream) are stuck, the health check,
// the cluster list and a whole plan + apply + live stream of cluster B (a healthy sandboxed sshd)
// finish, over a real listening socket; then A's and A2's plans end in a 504 naming the host.

import net from "node:net";
import { performance } from "node:perf_hooks";
import { type ClientKeys, makeClientKeys } from "@lvs-panel/remote/test/sshd";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { type SandboxHost, startSandboxHost } from "../../test/sandbox-host.ts";

/** SSH connect and command timeout of the app under test (production default: 10 s / 120 s). */
const TIMEOUT_MS = 8000;

let keys: ClientKeys;
let hostB: SandboxHost;
let hostA2: SandboxHost;
let t: TestApp;
let base: string;
let blackHole: net.Server;
let blackHolePort: number;
const held = new Set<net.Socket>();
let clusterA: string;
let clusterA2: string;
let clusterB: string;

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test glue reading the API's JSON
  body: any;
}

async function http(method: string, url: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      cookie: t.cookie,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function ok(method: string, url: string, body?: unknown) {
  const res = await http(method, url, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

/** A request whose completion time is recorded, so the test can compare who finished first. */
function timed<T>(p: Promise<T>) {
  const started = performance.now();
  const out = { done: false, endedAt: Number.POSITIVE_INFINITY, ms: 0, promise: p };
  void p.then(
    () => {
      out.done = true;
      out.endedAt = performance.now();
      out.ms = out.endedAt - started;
    },
    () => undefined,
  );
  return out;
}

/** Reads a server-sent event stream in the background, timestamping each event. */
function openEvents(url: string) {
  const abort = new AbortController();
  const events: { type: string; data: { message?: string }; at: number }[] = [];
  let notify: () => void = () => undefined;
  const reading = (async () => {
    const res = await fetch(`${base}${url}`, {
      headers: { cookie: t.cookie },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data), at: performance.now() });
        notify();
      }
    }
  })().catch((err: unknown) => {
    if (!abort.signal.aborted) throw err;
  });
  return {
    events,
    async first(timeoutMs: number) {
      const deadline = performance.now() + timeoutMs;
      while (events.length === 0) {
        if (performance.now() > deadline) throw new Error(`no event on ${url}`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 50);
        });
      }
      return events[0] as (typeof events)[number];
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

async function addTrustedHost(name: string, h: SandboxHost): Promise<string> {
  const host = await ok("POST", "/api/hosts", {
    name,
    address: h.address,
    auth: { type: "key", privateKey: keys.ed25519 },
  });
  const scan = await ok("POST", `/api/hosts/${host.id}/scan`);
  await ok("POST", `/api/hosts/${host.id}/trust`, { fingerprint: scan.fingerprint });
  return host.id;
}

async function natCluster(name: string, hostId: string, subnet: string): Promise<string> {
  const cluster = await ok("POST", "/api/clusters", { name });
  await ok("PUT", `/api/clusters/${cluster.id}/director`, {
    hostId,
    dip: `${subnet}.1`,
    interface: "lan0",
  });
  const service = await ok("POST", `/api/clusters/${cluster.id}/services`, {
    protocol: "tcp",
    vip: `${subnet}.100`,
    port: 80,
    scheduler: "rr",
    forwarding: "nat",
  });
  // No SSH host for the realserver: only the director is configured (the plan warns about it).
  await ok("POST", `/api/services/${service.id}/realservers`, {
    address: `${subnet}.11`,
    port: 80,
  });
  return cluster.id;
}

const firstConnection = new Promise<void>((resolve) => {
  blackHole = net.createServer((sock) => {
    // Accept, read whatever comes, never answer: like a host whose sshd is wedged.
    held.add(sock);
    sock.resume();
    sock.on("error", () => undefined);
    resolve();
  });
});

beforeAll(async () => {
  keys = await makeClientKeys();
  [hostB, hostA2] = await Promise.all([
    startSandboxHost({ name: "lb-b", authorizedKeys: keys.authorizedKeys, lan: "10.20.0.1/24" }),
    startSandboxHost({ name: "lb-a2", authorizedKeys: keys.authorizedKeys, lan: "10.30.0.1/24" }),
  ]);
  await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
  blackHolePort = (blackHole.address() as net.AddressInfo).port;

  t = await startTestApp({
    sshConnectTimeoutMs: TIMEOUT_MS,
    sshCommandTimeoutMs: TIMEOUT_MS,
    liveIntervalMs: 500,
  });
  base = await t.app.listen({ host: "127.0.0.1", port: 0 });

  // The black hole cannot show a host key, so its pin is written as if it had been confirmed
  // while the host still worked.
  const hostA = await ok("POST", "/api/hosts", {
    name: "lb-a",
    address: "127.0.0.1",
    port: blackHolePort,
    auth: { type: "key", privateKey: keys.ed25519 },
  });
  await t.app.db.host.update({
    where: { id: hostA.id },
    data: { hostKeySha256: hostB.fingerprint },
  });
  clusterA = await natCluster("a", hostA.id, "10.40.0");
  clusterA2 = await natCluster("a2", await addTrustedHost("lb-a2", hostA2), "10.30.0");
  clusterB = await natCluster("b", await addTrustedHost("lb-b", hostB), "10.20.0");
}, 60_000);

afterAll(async () => {
  for (const sock of held) sock.destroy();
  blackHole?.close();
  await t?.close();
  await Promise.all([hostB, hostA2].map((h) => h?.stop()));
});

it("a stuck director delays only its own cluster: health, the list and cluster B's plan, apply and live view finish first", async () => {
  const hangA2 = hostA2.holdIpvsadmOn("ipvsadm -S -n");
  try {
    const startedA = performance.now();
    const planA = timed(http("POST", `/api/clusters/${clusterA}/plan`, {}));
    const planA2 = timed(http("POST", `/api/clusters/${clusterA2}/plan`, {}));
    const liveA = openEvents(`/api/clusters/${clusterA}/live`);
    // Both are now really stuck: A's TCP connection is accepted and waits for a banner, A2's
    // ipvsadm-save is running and does not return.
    await firstConnection;
    await hangA2.reached();

    const health = timed(http("GET", "/api/health"));
    expect((await health.promise).status).toBe(200);
    const list = timed(http("GET", "/api/clusters"));
    const clusters = (await list.promise).body as { name: string }[];
    expect(clusters.map((c) => c.name).sort()).toEqual(["a", "a2", "b"]);
    const one = timed(http("GET", `/api/clusters/${clusterA}`));
    expect((await one.promise).status).toBe(200);

    const liveB = openEvents(`/api/clusters/${clusterB}/live`);
    const planB = await http("POST", `/api/clusters/${clusterB}/plan`, {});
    expect(planB.status, JSON.stringify(planB.body)).toBe(200);
    expect(planB.body.summary.lines).toContain("add service TCP 10.20.0.100:80");
    const started = await http("POST", `/api/clusters/${clusterB}/apply`, {
      planHash: planB.body.hash,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let applyB: Reply["body"];
    for (;;) {
      applyB = (await http("GET", `/api/applies/${started.body.applyId}`)).body;
      if (applyB.status !== "running") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(applyB.status, JSON.stringify(applyB.events, null, 1)).toBe("succeeded");
    expect(hostB.ipvs().map((s) => `${s.vip}:${s.port}`)).toEqual(["10.20.0.100:80"]);
    // B's live view answers (this kernel has no IPVS, so its answer is an error about that,
    // produced by reading B's director: the poller of B is not waiting behind A's).
    const firstB = await liveB.first(TIMEOUT_MS);
    await liveB.close();
    const doneB = performance.now();

    // Everything above finished while A and A2 were still stuck.
    expect(planA.done).toBe(false);
    expect(planA2.done).toBe(false);
    expect(liveA.events).toEqual([]);
    for (const fast of [health, list, one]) expect(fast.ms).toBeLessThan(1000); // safety net
    expect(firstB.at).toBeLessThan(doneB);

    // Then A's and A2's plans end on their own timeouts, as gateway errors naming the host.
    const a = await planA.promise;
    expect(planA.endedAt).toBeGreaterThan(doneB);
    expect(planA.endedAt - startedA).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(a.status).toBe(504);
    expect(a.body.code).toBe("SSH_CONNECT_TIMEOUT");
    expect(a.body.message).toContain(`127.0.0.1:${blackHolePort}`);

    const a2 = await planA2.promise;
    expect(planA2.endedAt).toBeGreaterThan(doneB);
    expect(a2.status).toBe(504);
    expect(a2.body.code).toBe("SSH_COMMAND_TIMEOUT");
    expect(a2.body.message).toContain(hostA2.address);

    // A's live stream says what is wrong instead of going quiet.
    const firstA = await liveA.first(TIMEOUT_MS);
    expect(firstA.type).toBe("error");
    expect(firstA.data.message).toContain(`127.0.0.1:${blackHolePort}`);
    expect(firstA.at).toBeGreaterThan(doneB);
    await liveA.close();
  } finally {
    hangA2.release();
  }
});
