// Two panel processes (`server.ts`, as `npm start` runs it) on one PostgreSQL database, against
// sandboxed sshd hosts (ADR 0008): a session made on one works on the other; two applies of one
// cluster started at once on both give one 202 and one 409; an apply is streamed from the instance
// that does not run it; one instance SIGKILLed mid-apply leaves it interrupted, and the survivor
// applies at once; the background work has one holder.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ClientKeys, makeClientKeys } from "@lvs-panel/remote/test/sshd";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type SandboxHost, startSandboxHost } from "../../../test/sandbox-host.ts";
import {
  createTestDatabase,
  onPostgresql,
  type TestDatabase,
} from "../../../test/test-database.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../../../..");
const PASSWORD = "several-instances-password";
const SECRET_KEY = randomBytes(32).toString("base64");
/** Short, so a dead instance's apply and leases go stale within the test (3 beats: 1.5 s). */
const HEARTBEAT_MS = 500;

interface Panel {
  name: string;
  proc: ChildProcess;
  base: string;
  cookie: string;
}

let keys: ClientKeys;
let director: SandboxHost;
let rs1: SandboxHost;
let dir: string;
let database: TestDatabase;
const panels: Panel[] = [];

async function startPanel(name: string): Promise<Panel> {
  const proc = spawn(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      HOST: "127.0.0.1",
      PORT: "0",
      LVS_PANEL_ADMIN_PASSWORD: PASSWORD,
      // Every instance decrypts the host credentials another one stored.
      LVS_PANEL_SECRET_KEY: SECRET_KEY,
      LVS_PANEL_INSTANCE_ID: name,
      LVS_PANEL_HEARTBEAT_MS: String(HEARTBEAT_MS),
      LVS_PANEL_DATA_DIR: path.join(dir, name),
      LVS_PANEL_WEB_DIST: path.join(dir, "no-ui"),
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}):\n${output}`));
    });
  });
  const panel = { name, proc, base, cookie: "" };
  panels.push(panel);
  return panel;
}

async function login(panel: Panel): Promise<string> {
  const res = await fetch(`${panel.base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

async function kill(panel: Panel, signal: NodeJS.Signals) {
  if (panel.proc.exitCode !== null || panel.proc.signalCode !== null) return;
  const exited = new Promise((resolve) => panel.proc.once("exit", resolve));
  panel.proc.kill(signal);
  await exited;
}

async function send(panel: Panel, method: string, url: string, body?: unknown) {
  const res = await fetch(`${panel.base}${url}`, {
    method,
    headers: {
      cookie: panel.cookie,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// biome-ignore lint/suspicious/noExplicitAny: test glue reading the API's JSON
async function call(panel: Panel, method: string, url: string, body?: unknown): Promise<any> {
  const res = await send(panel, method, url, body);
  expect(res.status, `${panel.name}: ${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(
    300,
  );
  return res.body;
}

async function addTrustedHost(panel: Panel, h: SandboxHost): Promise<string> {
  const host = await call(panel, "POST", "/api/hosts", {
    name: h.name,
    address: h.address,
    auth: { type: "key", privateKey: keys.ed25519 },
  });
  const scan = await call(panel, "POST", `/api/hosts/${host.id}/scan`);
  await call(panel, "POST", `/api/hosts/${host.id}/trust`, { fingerprint: scan.fingerprint });
  return host.id;
}

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${String(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface StreamedEvent {
  seq: number;
  stage: string;
  outcome?: string;
}

/** Opens the apply's event stream; `ended` resolves with every event once the stream ends. */
async function openEvents(panel: Panel, applyId: string) {
  const res = await fetch(`${panel.base}/api/applies/${applyId}/events`, {
    headers: { cookie: panel.cookie },
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: StreamedEvent[] = [];
  const ended = (async () => {
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream closed without an end event");
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        const message = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (message.startsWith("event: end")) return events;
        const data = message.split("\n").find((l) => l.startsWith("data: "));
        if (data) events.push(JSON.parse(data.slice(6)));
        cut = buffer.indexOf("\n\n");
      }
    }
  })();
  return { events, ended };
}

async function leaseHolders(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string; holder: string }>(
      `SELECT "key", "holder" FROM "Lease" WHERE "expiresAt" > now() AT TIME ZONE 'UTC'`,
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.holder]));
  } finally {
    await client.end();
  }
}

describe.skipIf(!onPostgresql)(
  "several instances on one PostgreSQL (api-pg only: needs LVS_PANEL_TEST_POSTGRES_URL)",
  () => {
    beforeAll(async () => {
      keys = await makeClientKeys();
      [director, rs1] = await Promise.all([
        startSandboxHost({ name: "lb1", authorizedKeys: keys.authorizedKeys, lan: "10.10.0.1/24" }),
        startSandboxHost({
          name: "web1",
          authorizedKeys: keys.authorizedKeys,
          lan: "10.10.0.11/24",
        }),
      ]);
      dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-instances-"));
      database = await createTestDatabase(inject("templateDb"));
    }, 60_000);

    afterAll(async () => {
      await Promise.all(panels.map((p) => kill(p, "SIGTERM")));
      await Promise.all([director, rs1].map((h) => h?.stop()));
      if (dir) rmSync(dir, { recursive: true, force: true });
      await database?.drop();
    });

    it("share sessions, hold one apply per cluster, stream each other's applies and survive a SIGKILL", async () => {
      // Both start at once on the fresh database (both create the admin user: one does).
      const [a, b] = await Promise.all([startPanel("a"), startPanel("b")]);
      if (!a || !b) throw new Error("unreachable");

      // A session made on A works on B.
      a.cookie = await login(a);
      b.cookie = a.cookie;
      expect((await call(b, "GET", "/api/auth/status")).user.username).toBe("admin");

      const directorId = await addTrustedHost(a, director);
      const rs1Id = await addTrustedHost(a, rs1);
      const cluster = await call(a, "POST", "/api/clusters", { name: "web" });
      await call(a, "PUT", `/api/clusters/${cluster.id}/director`, {
        hostId: directorId,
        dip: "10.10.0.1",
        interface: "lan0",
      });
      const addService = async (vip: string) => {
        const service = await call(b, "POST", `/api/clusters/${cluster.id}/services`, {
          protocol: "tcp",
          vip,
          port: 80,
          scheduler: "rr",
          forwarding: "nat",
        });
        await call(b, "POST", `/api/services/${service.id}/realservers`, {
          address: "10.10.0.11",
          port: 80,
          hostId: rs1Id,
        });
      };
      await addService("10.10.0.200");

      // The background work has one holder.
      const holders = await until("a background holder", leaseHolders, (h) => !!h.background);
      expect(["a", "b"]).toContain(holders.background);

      // Two applies of the cluster at the same moment, one on each: exactly one runs. The
      // winner waits at the director's ipvsadm step, so it is still running when the loser asks.
      const plan = await call(a, "POST", `/api/clusters/${cluster.id}/plan`, {});
      const hold = director.holdIpvsadmOn("-A -t 10.10.0.200:80");
      let winner: Panel;
      let applyId: string;
      let streamed: Awaited<ReturnType<typeof openEvents>>;
      try {
        const answers = await Promise.all(
          [a, b].map((p) =>
            send(p, "POST", `/api/clusters/${cluster.id}/apply`, { planHash: plan.hash }),
          ),
        );
        expect(answers.map((r) => r.status).sort()).toEqual([202, 409]);
        const won = answers.findIndex((r) => r.status === 202);
        const lost = answers[1 - won];
        expect(lost?.body.message).toMatch(/already running/);
        winner = won === 0 ? a : b;
        applyId = answers[won]?.body.applyId;
        await hold.reached();
        // The other instance streams it: what ran so far, then live until the end.
        streamed = await openEvents(winner === a ? b : a, applyId);
        await until(
          "events from the other instance",
          async () => streamed.events.length,
          (n) => n > 0,
        );
      } finally {
        hold.release();
      }
      const events = await streamed.ended;
      const stored = await call(winner, "GET", `/api/applies/${applyId}`);
      expect(stored.status).toBe("succeeded");
      expect(events.map((e) => e.seq)).toEqual(stored.events.map((e: StreamedEvent) => e.seq));
      expect(events.at(-1)).toMatchObject({ stage: "done", outcome: "succeeded" });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));

      // A dies mid-apply: the apply is interrupted, and B plans and applies at once.
      await addService("10.10.0.201");
      const next = await call(a, "POST", `/api/clusters/${cluster.id}/plan`, {});
      const held = director.holdIpvsadmOn("-A -t 10.10.0.201:80");
      let killedApply: string;
      try {
        killedApply = (
          await call(a, "POST", `/api/clusters/${cluster.id}/apply`, { planHash: next.hash })
        ).applyId;
        await held.reached();
        await kill(a, "SIGKILL");
        await director.dropSessions();
      } finally {
        held.release();
      }
      const killedAt = Date.now();
      const interrupted = await until(
        "the killed instance's apply to be interrupted",
        () => call(b, "GET", `/api/applies/${killedApply}`),
        (x) => x.status !== "running",
      );
      expect(interrupted.status).toBe("interrupted");
      expect(Date.now() - killedAt).toBeLessThan(10 * HEARTBEAT_MS);
      const again = await call(b, "POST", `/api/clusters/${cluster.id}/plan`, {});
      expect(again.summary.lines).toEqual(["add service TCP 10.10.0.201:80"]);
      const started = await call(b, "POST", `/api/clusters/${cluster.id}/apply`, {
        planHash: again.hash,
      });
      const result = await until(
        "the survivor's apply",
        () => call(b, "GET", `/api/applies/${started.applyId}`),
        (x) => x.status !== "running",
      );
      expect(result.status, JSON.stringify(result.events, null, 1)).toBe("succeeded");
      expect(director.ipvs()).toHaveLength(2);

      // And the background work is B's now.
      await until("B to hold the background lease", leaseHolders, (h) => h.background === "b");
    });
  },
);
