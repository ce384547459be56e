// Long on purpose: every case shares one app and three stand-in directors (sshds, slow to start).
// The live hub against real directors: OpenSSH sshds on loopback serving recorded ipvsadm output
// (test/stand-in-director.ts). Browsers are real SSE clients over a listening socket.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LiveTick } from "@lvs-panel/contract";
import {
  type ClientKeys,
  ensureTestUser,
  grantTestUserSudo,
  makeClientKeys,
  TEST_USER,
} from "@lvs-panel/remote/test/sshd";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, login, startTestApp, type TestApp } from "../../../test/app-fixture.ts";
import { type StandInDirector, startStandInDirector } from "../../../test/stand-in-director.ts";
import { buildApp } from "../../app.ts";

type Tick = LiveTick;

/** A browser on the live stream (from `open()`): its events, timestamped on arrival. */
function watch(url: string, cookie: string, clusterId: string, query: string, now = true) {
  const abort = new AbortController();
  const events: { type: string; data: Tick; at: number }[] = [];
  let reading: Promise<void> | undefined;
  const read = async () => {
    const res = await fetch(`${url}/api/clusters/${clusterId}/live?${query}`, {
      headers: { cookie },
      signal: abort.signal,
    });
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as ReadableStream<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data), at: performance.now() });
      }
    }
  };
  const open = () => {
    reading ??= read().catch((err: unknown) => {
      if (!abort.signal.aborted) throw err;
    });
  };
  if (now) open();
  return {
    events,
    open,
    ticks: () => events.filter((e) => e.type === "tick").map((e) => e.data),
    async until(count: number, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      while (events.length < count) {
        if (performance.now() > deadline) throw new Error(`fewer than ${count} events`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return events[count - 1] as (typeof events)[number];
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

let keys: ClientKeys;
let t: TestApp;
let base: string;
let directors: StandInDirector[];
let directorsDir: string;
let revokeSudo: (() => Promise<void>) | undefined;
const clusters: string[] = [];

// biome-ignore lint/suspicious/noExplicitAny: test glue reading the API's JSON
async function call(method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { cookie: t.cookie, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, url).toBeLessThan(300);
  return res.json();
}

beforeAll(async () => {
  keys = await makeClientKeys();
  await ensureTestUser();
  revokeSudo = await grantTestUserSudo();
  t = await startTestApp({ liveIntervalMs: 300 });
  base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  directorsDir = mkdtempSync(path.join(tmpdir(), "lvs-live-hub-"));
  chmodSync(directorsDir, 0o755);
  directors = await Promise.all(
    ["one", "two", "no-awk"].map((name) =>
      startStandInDirector({
        keys,
        dir: path.join(directorsDir, name),
        brokenAwk: name === "no-awk",
      }),
    ),
  );
  for (const [i, d] of directors.entries()) {
    const host = await call("POST", "/api/hosts", {
      name: `director-${i}`,
      address: "127.0.0.1",
      // A sudo user, as on a director (root's shell profile on this machine may hang at login).
      username: TEST_USER,
      port: d.sshd.port,
      auth: { type: "key", privateKey: keys.ed25519 },
    });
    await call("POST", `/api/hosts/${host.id}/trust`, { fingerprint: d.sshd.fingerprint });
    const cluster = await call("POST", "/api/clusters", { name: `c${i}` });
    await call("PUT", `/api/clusters/${cluster.id}/director`, {
      hostId: host.id,
      dip: "10.1.1.254",
      interface: "eth1",
    });
    clusters.push(cluster.id);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all((directors ?? []).map((d) => d.sshd.stop()));
  await t?.close();
  if (keys) rmSync(keys.dir, { recursive: true, force: true });
  if (directorsDir) rmSync(directorsDir, { recursive: true, force: true });
  await revokeSudo?.();
});

describe("live hub", () => {
  it("reads only the counters while every watcher wants counters; the table once one wants rows", async () => {
    const [d] = directors as [StandInDirector];
    const clusterId = clusters[0] as string;
    const before = d.connReads();
    const pages = [0, 1].map(() => watch(base, t.cookie, clusterId, "limit=0"));
    const live = watch(base, t.cookie, clusterId, "limit=5", false);
    const counted = watch(base, t.cookie, clusterId, "limit=0&state=FIN_WAIT", false);
    try {
      await Promise.all(pages.map((p) => p.until(3)));
      expect(pages.flatMap((p) => p.events.map((e) => e.type))).not.toContain("error");
      expect(d.connReads()).toBe(before);
      for (const tick of pages.flatMap((p) => p.ticks())) {
        // The realservers' ActiveConn/InActConn the cluster page shows; no table figures.
        expect(tick.services.map((s) => s.key)).toContain("TCP 192.168.77.100:80");
        expect(tick.rows).toEqual([]);
        expect(tick.totals).toBeUndefined();
        expect(tick.matched).toBeUndefined();
      }

      // A live page joins: its first tick has rows, and the table is read for it.
      live.open();
      const first = await live.until(1);
      expect(first.type, JSON.stringify(first.data)).toBe("tick");
      expect(first.data.rows).toHaveLength(5);
      expect(first.data.totals?.entries).toBeGreaterThan(5);
      expect(d.connReads()).toBeGreaterThan(before);
      // A filtered count with limit 0 needs the table too.
      counted.open();
      expect((await counted.until(1)).data.matched).toBeGreaterThan(0);
      await Promise.all([live.close(), counted.close()]);

      // Back to counters only once it has left (one read may have been under way).
      await new Promise((r) => setTimeout(r, 400));
      const after = d.connReads();
      const seen = pages[0]?.events.length ?? 0;
      await pages[0]?.until(seen + 3);
      expect(d.connReads()).toBe(after);
    } finally {
      await Promise.all([...pages, live, counted].map((p) => p.close()));
    }
  });

  it("the director summarises the table itself; without a working awk the whole table is parsed here, with the same result", async () => {
    const [d, , noAwk] = directors as [StandInDirector, StandInDirector, StandInDirector];
    const query = "limit=7&state=TIME_WAIT&service=TCP%20192.168.77.100%3A80";
    const wholeReads = (x: StandInDirector) => x.connReads() - x.summaryReads();
    const wholeBefore = wholeReads(d);
    const summarised = watch(base, t.cookie, clusters[0] as string, query);
    const parsedHere = watch(base, t.cookie, clusters[2] as string, query);
    try {
      const [a, b] = [await summarised.until(1), await parsedHere.until(1)];
      expect(a.type, JSON.stringify(a.data)).toBe("tick");
      expect(b.type, JSON.stringify(b.data)).toBe("tick");
      expect(d.summaryReads()).toBeGreaterThan(0);
      // Director one's summary was used: it never had to send its whole table.
      expect(wholeReads(d)).toBe(wholeBefore);
      expect(noAwk.summaryReads()).toBe(0);
      expect(noAwk.connReads()).toBeGreaterThan(0);
      // Same rows, counts and totals either way: the summary is what the API would have built.
      const view = (tick: typeof a.data) => ({
        rows: tick.rows,
        matched: tick.matched,
        truncated: tick.truncated,
        totals: tick.totals,
        parseErrors: tick.parseErrors,
      });
      expect(view(a.data)).toEqual(view(b.data));
      expect(a.data.rows).toHaveLength(7);
    } finally {
      await Promise.all([summarised.close(), parsedHere.close()]);
    }
  });

  it("after a long table read the director rests three times as long before the next one", async () => {
    const [, two] = directors as [StandInDirector, StandInDirector];
    const slow = two.hold();
    const live = watch(base, t.cookie, clusters[1] as string, "limit=5");
    try {
      await slow.reached();
      await new Promise((r) => setTimeout(r, 700));
      slow.release();
      const first = await live.until(1);
      expect(first.data.readMs).toBeGreaterThanOrEqual(700);
      const second = await live.until(2, 10_000);
      // The interval is 300 ms; the rest after a read of ≥ 700 ms is ≥ 2.1 s.
      expect(second.at - first.at).toBeGreaterThanOrEqual(2000);
      // A quick read rests briefly: ticks come at the interval again.
      const third = await live.until(3, 10_000);
      const fourth = await live.until(4, 10_000);
      expect(fourth.at - third.at).toBeLessThan(2000);
    } finally {
      slow.release();
      await live.close();
    }
  });

  describe("with the stats sampler", () => {
    let sampled: FastifyInstance;
    let sampledBase: string;
    let cookie: string;
    const history = async (clusterId: string): Promise<unknown[]> =>
      (
        await fetch(`${sampledBase}/api/clusters/${clusterId}/live/history`, {
          headers: { cookie },
        })
      ).json() as Promise<unknown[]>;

    beforeAll(async () => {
      // Another app on the same database: a slow live tick, a fast sampler.
      sampled = await buildApp({
        databaseUrl: t.databaseUrl,
        dataDir: t.dir,
        adminPassword: undefined,
        secretKey: undefined,
        webDist: undefined,
        sessionIdleMinutes: 60,
        cookieSecure: false,
        liveIntervalMs: 5000,
        statsIntervalMs: 200,
      });
      sampledBase = await sampled.listen({ host: "127.0.0.1", port: 0 });
      cookie = await login(sampled, "admin", ADMIN_PASSWORD);
    });
    afterAll(async () => sampled?.close());

    it("a stuck director stalls only its own cluster's history", async () => {
      const two = directors[1] as StandInDirector;
      const stuck = two.hold();
      try {
        await stuck.reached();
        const start = (await history(clusters[0] as string)).length;
        await new Promise((r) => setTimeout(r, 1500));
        // About 7 samples in 1.5 s; with the sweep waiting on the stuck one, none.
        expect((await history(clusters[0] as string)).length).toBeGreaterThanOrEqual(start + 3);
      } finally {
        stuck.release();
      }
    });

    it("a watcher arriving during a sample gets its first tick when the sample ends", async () => {
      const [one] = directors as [StandInDirector];
      const slow = one.hold();
      let page: ReturnType<typeof watch> | undefined;
      try {
        await slow.reached(); // a sample of cluster one is out
        page = watch(sampledBase, cookie, clusters[0] as string, "limit=0");
        await new Promise((r) => setTimeout(r, 300));
        expect(page.events).toEqual([]);
        const released = performance.now();
        slow.release();
        const first = await page.until(1, 8000);
        expect(first.type).toBe("tick");
        // Not the next interval (5 s): the tick queued behind the sample.
        expect(first.at - released).toBeLessThan(2000);
      } finally {
        slow.release();
        await page?.close();
      }
    });
  });
});
