// GET /metrics on a real app and a real SQLite file, with a keepalived cluster whose director is a
// stand-in (an OpenSSH sshd serving recorded ipvsadm output, test/stand-in-director.ts): the
// panel's sampler reads the director and judges its realservers as it would a real one's, and
// /metrics says what the panel learnt, checked by promtool and against the recorded figures.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ClusterHealth } from "@lvs-panel/contract";
import { SshPool } from "@lvs-panel/remote";
import {
  type ClientKeys,
  ensureTestUser,
  grantTestUserSudo,
  makeClientKeys,
  TEST_USER,
} from "@lvs-panel/remote/test/sshd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiSession } from "../../test/api-session.ts";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { parseExposition, sampleValue } from "../../test/exposition.ts";
import { itWithPromtool, promtool } from "../../test/promtool.ts";
import { type StandInDirector, startStandInDirector } from "../../test/stand-in-director.ts";
import { createPanelMetrics } from "../services/metrics/panel-metrics.ts";

const METRICS_TOKEN = randomBytes(32).toString("hex");
const START = Date.parse("2026-03-01T10:00:00Z");

let keys: ClientKeys;
let t: TestApp;
let base: string;
let director: StandInDirector;
let dir: string;
let revokeSudo: (() => Promise<void>) | undefined;
let apiToken: string;
let clusterId: string;
let directorHostId: string;
const api = apiSession(() => t);

const scrape = (authorization?: string) =>
  t.app.inject({
    method: "GET",
    url: "/metrics",
    headers: authorization ? { authorization } : {},
  });

/** Scrapes until `ready` holds for the text (the sampler reads the director every 200 ms). */
async function scrapeUntil(ready: (text: string) => boolean): Promise<string> {
  let text = "";
  for (let i = 0; i < 150; i++) {
    const res = await scrape(`Bearer ${apiToken}`);
    expect(res.statusCode, res.body).toBe(200);
    text = res.body;
    if (ready(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`/metrics never got there; last answer:\n${text}`);
}

/** The client addresses of a live view's first rows: what /metrics must never carry. */
async function clientsSeenByLiveView(): Promise<string[]> {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/clusters/${clusterId}/live?limit=200`, {
    headers: { cookie: t.cookie },
    signal: abort.signal,
  });
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of res.body as ReadableStream<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      const tick = /^event: tick\ndata: (.*)$/m.exec(buffer)?.[1];
      if (tick)
        return (JSON.parse(tick) as { rows: { client: string }[] }).rows.map((r) => r.client);
    }
  } finally {
    abort.abort();
  }
  throw new Error("the live view sent no tick");
}

beforeAll(async () => {
  keys = await makeClientKeys();
  await ensureTestUser();
  revokeSudo = await grantTestUserSudo();
  t = await startTestApp({
    liveIntervalMs: 300,
    statsIntervalMs: 200,
    metrics: { enabled: true, token: METRICS_TOKEN },
  });
  base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  dir = mkdtempSync(path.join(tmpdir(), "lvs-metrics-"));
  chmodSync(dir, 0o755);
  director = await startStandInDirector({
    keys,
    dir: path.join(dir, "director"),
    keepalivedRunning: true,
  });

  const host = await api.ok("POST", "/api/hosts", {
    name: "lb1",
    address: "127.0.0.1",
    username: TEST_USER,
    port: director.sshd.port,
    auth: { type: "key", privateKey: keys.ed25519 },
  });
  directorHostId = host.id;
  await api.ok("POST", `/api/hosts/${host.id}/trust`, { fingerprint: director.sshd.fingerprint });
  const cluster = await api.ok("POST", "/api/clusters", { name: "web", engine: "keepalived" });
  clusterId = cluster.id;
  await api.ok("PUT", `/api/clusters/${clusterId}/director`, {
    hostId: host.id,
    dip: "10.10.0.254",
    interface: "eth1",
  });
  // Two of the recorded director's services; its others belong to no cluster of this panel.
  const dr = await api.ok("POST", `/api/clusters/${clusterId}/services`, {
    protocol: "tcp",
    vip: "10.10.0.200",
    port: 80,
    scheduler: "wrr",
    forwarding: "dr",
  });
  // 10.10.0.13 is configured at weight 1 and sits at 0 in the table: keepalived quiesced it.
  for (const [address, weight] of [
    ["10.10.0.11", 3],
    ["10.10.0.12", 1],
    ["10.10.0.13", 1],
  ] as const) {
    await api.ok("POST", `/api/services/${dr.id}/realservers`, { address, port: 80, weight });
  }
  const nat = await api.ok("POST", `/api/clusters/${clusterId}/services`, {
    protocol: "tcp",
    vip: "192.168.77.100",
    port: 80,
    scheduler: "rr",
    forwarding: "nat",
  });
  for (const address of ["10.10.0.11", "10.10.0.12", "10.10.0.13"]) {
    await api.ok("POST", `/api/services/${nat.id}/realservers`, { address, port: 80 });
  }

  // A cluster whose director's host key nobody confirmed: the panel never contacts it.
  const dark = await api.ok("POST", "/api/hosts", {
    name: "lb-dark",
    address: "127.0.0.1",
    port: 9,
    auth: { type: "password", password: "unused-password" },
  });
  const darkCluster = await api.ok("POST", "/api/clusters", { name: "dark" });
  await api.ok("PUT", `/api/clusters/${darkCluster.id}/director`, {
    hostId: dark.id,
    dip: "10.20.0.254",
    interface: "eth1",
  });

  // Applies as the apply service leaves them: one succeeded in 4.2 s, one failed after 12 s,
  // one running now.
  const apply = (status: string, seconds: number | null, startedAt = START) =>
    t.app.db.apply.create({
      data: {
        clusterId,
        status,
        plan: "{}",
        desired: "{}",
        startedAt: new Date(startedAt),
        finishedAt: seconds === null ? null : new Date(startedAt + seconds * 1000),
      },
    });
  await apply("succeeded", 4.2);
  await apply("failed", 12, START + 60_000);
  await apply("running", null, Date.now());

  apiToken = (await api.ok("POST", "/api/tokens", { name: "prometheus" })).token;
}, 60_000);

afterAll(async () => {
  await director?.sshd.stop();
  await t?.close();
  if (keys) rmSync(keys.dir, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
  await revokeSudo?.();
});

describe("GET /metrics", () => {
  let text: string;
  const value = (name: string, labels: Record<string, string> = {}) =>
    sampleValue(parseExposition(text), name, labels);
  const rs = (service: string, realserver: string) => ({ cluster: "web", service, realserver });
  const DR = "TCP 10.10.0.200:80";
  const NAT = "TCP 192.168.77.100:80";

  it("exports what the sampler read from the director, its verdicts and the applies", async () => {
    const clients = await clientsSeenByLiveView();
    expect(clients.length).toBeGreaterThan(0);
    await api.ok("GET", `/api/clusters/${clusterId}/drift`);
    text = await scrapeUntil((body) => {
      const samples = parseExposition(body);
      return (
        sampleValue(samples, "lvs_panel_realserver_health", {
          ...rs(DR, "10.10.0.13:80"),
          state: "down",
        }) === 1 &&
        sampleValue(samples, "lvs_panel_director_reachable", {
          cluster: "dark",
          director: "lb-dark",
        }) !== undefined
      );
    });

    // The kernel's figures of the cluster's realservers (shared/fixtures/ipvsadm/mixed-*).
    expect(value("lvs_panel_realserver_connections_total", rs(DR, "10.10.0.11:80"))).toBe(45);
    expect(
      value("lvs_panel_realserver_packets_total", { ...rs(DR, "10.10.0.11:80"), direction: "in" }),
    ).toBe(270);
    expect(
      value("lvs_panel_realserver_bytes_total", { ...rs(DR, "10.10.0.11:80"), direction: "in" }),
    ).toBe(17775);
    expect(
      value("lvs_panel_realserver_bytes_total", { ...rs(DR, "10.10.0.11:80"), direction: "out" }),
    ).toBe(0);
    expect(value("lvs_panel_realserver_inactive_connections", rs(DR, "10.10.0.11:80"))).toBe(12);
    expect(value("lvs_panel_realserver_active_connections", rs(DR, "10.10.0.11:80"))).toBe(0);
    expect(value("lvs_panel_realserver_weight", rs(DR, "10.10.0.11:80"))).toBe(3);
    expect(value("lvs_panel_realserver_weight", rs(DR, "10.10.0.13:80"))).toBe(0);
    expect(value("lvs_panel_realserver_configured_weight", rs(DR, "10.10.0.13:80"))).toBe(1);
    expect(value("lvs_panel_service_connections_total", { cluster: "web", service: DR })).toBe(60);
    expect(value("lvs_panel_service_inactive_connections", { cluster: "web", service: DR })).toBe(
      15,
    );
    expect(
      value("lvs_panel_service_packets_total", { cluster: "web", service: NAT, direction: "out" }),
    ).toBe(239);
    // The director's services of no cluster here are not this cluster's figures.
    expect(text).not.toContain("192.168.77.100:8080");
    expect(text).not.toContain("FWM 7");
    const sampledAt = value("lvs_panel_counters_timestamp_seconds", { cluster: "web" }) ?? 0;
    expect(Date.now() / 1000 - sampledAt).toBeLessThan(60);

    // keepalived's verdicts: quiesced at weight 0 is down; the others pass their checks.
    expect(value("lvs_panel_realserver_health", { ...rs(DR, "10.10.0.13:80"), state: "up" })).toBe(
      0,
    );
    expect(value("lvs_panel_realserver_health", { ...rs(DR, "10.10.0.11:80"), state: "up" })).toBe(
      1,
    );
    expect(value("lvs_panel_realserver_health", { ...rs(NAT, "10.10.0.12:80"), state: "up" })).toBe(
      1,
    );
    expect(
      value("lvs_panel_director_keepalived_state", {
        cluster: "web",
        director: "lb1",
        state: "running",
      }),
    ).toBe(1);

    // Directors: the sampler reached this one; the other's key was never trusted.
    expect(value("lvs_panel_director_reachable", { cluster: "web", director: "lb1" })).toBe(1);
    expect(value("lvs_panel_director_reachable", { cluster: "dark", director: "lb-dark" })).toBe(0);
    // The cluster has one director, no VRRP pair: the metric is described and has no series.
    expect(text).toContain("# TYPE lvs_panel_director_vrrp_state gauge");
    expect(parseExposition(text).some((s) => s.name === "lvs_panel_director_vrrp_state")).toBe(
      false,
    );

    // Applies, from the database.
    const web = { cluster: "web" };
    expect(value("lvs_panel_applies_total", { ...web, outcome: "succeeded" })).toBe(1);
    expect(value("lvs_panel_applies_total", { ...web, outcome: "failed" })).toBe(1);
    expect(value("lvs_panel_applies_total", { ...web, outcome: "rolled_back" })).toBe(0);
    expect(value("lvs_panel_applies_total", { cluster: "dark", outcome: "succeeded" })).toBe(0);
    expect(value("lvs_panel_applies_running", web)).toBe(1);
    expect(value("lvs_panel_apply_duration_seconds_bucket", { ...web, le: "2" })).toBe(0);
    expect(value("lvs_panel_apply_duration_seconds_bucket", { ...web, le: "5" })).toBe(1);
    expect(value("lvs_panel_apply_duration_seconds_bucket", { ...web, le: "30" })).toBe(2);
    expect(value("lvs_panel_apply_duration_seconds_bucket", { ...web, le: "+Inf" })).toBe(2);
    expect(value("lvs_panel_apply_duration_seconds_sum", web)).toBeCloseTo(16.2, 6);
    expect(value("lvs_panel_apply_duration_seconds_count", { cluster: "dark" })).toBe(0);
    expect(value("lvs_panel_apply_last_success_timestamp_seconds", web)).toBe(
      (START + 4200) / 1000,
    );
    expect(value("lvs_panel_apply_last_success_timestamp_seconds", { cluster: "dark" })).toBe(
      undefined,
    );

    // Drift: nothing was applied there, so the check cannot tell.
    expect(value("lvs_panel_drift_state", { ...web, state: "unknown" })).toBe(1);
    expect(value("lvs_panel_cluster_info", { ...web, engine: "keepalived" })).toBe(1);
    expect(value("lvs_panel_ssh_pool_connections")).toBeGreaterThanOrEqual(1);
    expect(value("lvs_panel_ssh_connects_total")).toBeGreaterThanOrEqual(1);
    expect(value("process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(value("process_start_time_seconds")).toBeGreaterThan(0);

    // Bounded labels: no client of the connection table the live view read, with or without
    // its port.
    const addresses = new Set(clients.map((c) => c.replace(/:\d+$/, "").replace(/^\[|\]$/g, "")));
    expect(addresses.size).toBeGreaterThan(1);
    for (const address of addresses) {
      const escaped = address.replaceAll(".", "\\.");
      expect(text).not.toMatch(new RegExp(`(^|[^0-9a-f.:])${escaped}($|[^0-9a-f])`, "m"));
    }
  });

  itWithPromtool("passes `promtool check metrics`", () => {
    expect(text, "the scrape above ran first").toBeTruthy();
    expect(promtool(["check", "metrics"], text)).toEqual({ status: 0, output: "" });
  });

  it("a newly ended apply counts at the next scrape; a deleted cluster's series go", async () => {
    await t.app.db.apply.create({
      data: {
        clusterId,
        status: "rolled_back",
        plan: "{}",
        desired: "{}",
        startedAt: new Date(START + 120_000),
        finishedAt: new Date(START + 120_000 + 90_000),
      },
    });
    const doomed = await api.ok("POST", "/api/clusters", { name: "doomed" });
    text = (await scrape(`Bearer ${METRICS_TOKEN}`)).body;
    expect(value("lvs_panel_applies_total", { cluster: "web", outcome: "rolled_back" })).toBe(1);
    expect(value("lvs_panel_apply_duration_seconds_bucket", { cluster: "web", le: "60" })).toBe(2);
    expect(value("lvs_panel_apply_duration_seconds_bucket", { cluster: "web", le: "120" })).toBe(3);
    expect(value("lvs_panel_cluster_info", { cluster: "doomed", engine: "ipvsadm" })).toBe(1);
    expect((await api.req("DELETE", `/api/clusters/${doomed.id}`)).statusCode).toBe(204);
    text = (await scrape(`Bearer ${METRICS_TOKEN}`)).body;
    expect(text).not.toContain('cluster="doomed"');
  });

  it("answers a bearer that is the metrics token or an API token, and no one else", async () => {
    for (const bearer of [METRICS_TOKEN, apiToken]) {
      const res = await scrape(`Bearer ${bearer}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    }
    const revoked = await api.ok("POST", "/api/tokens", { name: "old scraper" });
    expect((await api.req("DELETE", `/api/tokens/${revoked.id}`)).statusCode).toBe(204);
    for (const authorization of [
      undefined,
      "Bearer not-a-token",
      `Bearer ${METRICS_TOKEN}x`,
      `Bearer ${revoked.token}`,
      `Basic ${Buffer.from(`prometheus:${METRICS_TOKEN}`).toString("base64")}`,
    ]) {
      const res = await scrape(authorization);
      expect(res.statusCode, authorization).toBe(401);
      expect(res.headers["www-authenticate"]).toBe('Bearer realm="lvs-panel metrics"');
      expect(res.body).not.toContain("lvs_panel");
    }
    // A signed-in browser is no scraper.
    const cookie = await t.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { cookie: t.cookie },
    });
    expect(cookie.statusCode).toBe(401);
    // The metrics token opens /metrics only.
    const api401 = await t.app.inject({
      method: "GET",
      url: "/api/overview",
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(api401.statusCode).toBe(401);
  });

  it("is not there unless enabled, whoever asks", async () => {
    const off = await startTestApp();
    try {
      const created = await off.app.inject({
        method: "POST",
        url: "/api/tokens",
        headers: { cookie: off.cookie },
        payload: { name: "prometheus" },
      });
      const token = created.json().token as string;
      for (const headers of [{}, { authorization: `Bearer ${token}` }, { cookie: off.cookie }]) {
        const res = await off.app.inject({ method: "GET", url: "/metrics", headers });
        expect(res.statusCode).toBe(404);
        expect(res.json().code).toBe("NOT_FOUND");
      }
    } finally {
      await off.close();
    }
  });
});

describe("VRRP states", () => {
  /** A scrape of the web cluster while the cluster health holds this of its director. */
  async function scrapeWithDirector(vrrp: { state: string; readAt: string }) {
    const pool = new SshPool();
    const health = {
      engine: "keepalived" as const,
      at: vrrp.readAt,
      realservers: [],
      directors: [
        {
          hostId: directorHostId,
          state: "running" as const,
          since: null,
          pid: 1,
          vrrp: {
            ...vrrp,
            since: null,
            priority: 150,
            effectivePriority: 150,
          } as NonNullable<ClusterHealth["directors"][number]["vrrp"]>,
        },
      ],
    };
    const metrics = createPanelMetrics({
      db: t.app.db,
      live: { lastReading: () => undefined },
      clusterHealth: { lastKnown: (id) => (id === clusterId ? health : undefined) },
      hostHealth: { get: () => ({ reachable: null, checkedAt: null, error: null }) },
      drift: { latest: () => null },
      ssh: pool,
    });
    try {
      return await metrics.scrape();
    } finally {
      await pool.closeAll();
    }
  }
  const stateOf = (body: string) =>
    ["MASTER", "BACKUP", "FAULT", "INIT", "STOPPED"].map((state) =>
      sampleValue(parseExposition(body), "lvs_panel_director_vrrp_state", {
        cluster: "web",
        director: "lb1",
        state,
      }),
    );

  itWithPromtool(
    "a pair's director as last read: one series per state, 1 for its own",
    async () => {
      const body = await scrapeWithDirector({ state: "BACKUP", readAt: new Date().toISOString() });
      expect(stateOf(body)).toEqual([0, 1, 0, 0, 0]);
      expect(promtool(["check", "metrics"], body)).toEqual({ status: 0, output: "" });
    },
  );

  it("none for a state the panel could not read, or read more than 5 minutes ago", async () => {
    const unknown = await scrapeWithDirector({
      state: "UNKNOWN",
      readAt: new Date().toISOString(),
    });
    expect(stateOf(unknown)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const stale = await scrapeWithDirector({
      state: "MASTER",
      readAt: new Date(Date.now() - 6 * 60_000).toISOString(),
    });
    expect(stateOf(stale)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
