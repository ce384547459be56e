// The API process killed mid-apply, for real: the panel runs as its own process (`server.ts`, as
// `npm start` runs it) on its own database against sandboxed sshd hosts, is SIGKILLed while the
// director's ipvsadm step is in flight, and is started again on the same database. The apply is
// then `interrupted`, and the next plan lists exactly the steps the dead apply had not done.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ClientKeys, makeClientKeys } from "@lvs-panel/remote/test/sshd";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { type SandboxHost, startSandboxHost } from "../../../test/sandbox-host.ts";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../../../..");
const PASSWORD = "killed-mid-apply-password";

let keys: ClientKeys;
let director: SandboxHost;
let rs1: SandboxHost;
let dir: string;
let database: TestDatabase;
let server: Panel | undefined;

interface Panel {
  proc: ChildProcess;
  base: string;
  cookie: string;
  output: () => string;
}

/** Starts `server.ts` on the test's database and signs in. */
async function startPanel(): Promise<Panel> {
  const proc = spawn(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      HOST: "127.0.0.1",
      PORT: "0",
      LVS_PANEL_ADMIN_PASSWORD: PASSWORD,
      LVS_PANEL_WEB_DIST: path.join(dir, "no-ui"),
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the panel did not start:\n${output}`)),
      30_000,
    );
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
      reject(new Error(`the panel exited (${code}):\n${output}`));
    });
  });
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { proc, base, cookie, output: () => output };
}

async function kill(panel: Panel, signal: NodeJS.Signals) {
  if (panel.proc.exitCode !== null || panel.proc.signalCode !== null) return;
  const exited = new Promise((resolve) => panel.proc.once("exit", resolve));
  panel.proc.kill(signal);
  await exited;
}

// biome-ignore lint/suspicious/noExplicitAny: test glue reading the API's JSON
async function call(method: string, url: string, body?: unknown): Promise<any> {
  const panel = server as Panel;
  const res = await fetch(`${panel.base}${url}`, {
    method,
    headers: {
      cookie: panel.cookie,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${url}: ${text}`).toBeLessThan(300);
  return text ? JSON.parse(text) : null;
}

async function addTrustedHost(h: SandboxHost): Promise<string> {
  const host = await call("POST", "/api/hosts", {
    name: h.name,
    address: h.address,
    auth: { type: "key", privateKey: keys.ed25519 },
  });
  const scan = await call("POST", `/api/hosts/${host.id}/scan`);
  expect(scan.fingerprint).toBe(h.fingerprint);
  await call("POST", `/api/hosts/${host.id}/trust`, { fingerprint: scan.fingerprint });
  return host.id;
}

interface StepView {
  id: string;
  phase: string;
  description: string;
}

/** "host | phase | step id" for every step of a plan view, in plan order. */
function stepList(plan: { hosts: { hostName: string; steps: StepView[] }[] }): string[] {
  return plan.hosts.flatMap((h) => h.steps.map((s) => `${h.hostName} | ${s.phase} | ${s.id}`));
}

beforeAll(async () => {
  keys = await makeClientKeys();
  [director, rs1] = await Promise.all([
    startSandboxHost({ name: "lb1", authorizedKeys: keys.authorizedKeys, lan: "10.10.0.1/24" }),
    startSandboxHost({ name: "web1", authorizedKeys: keys.authorizedKeys, lan: "10.10.0.11/24" }),
  ]);
  dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-killed-"));
  database = await createTestDatabase(inject("templateDb"));
}, 60_000);

afterAll(async () => {
  if (server) await kill(server, "SIGTERM");
  await Promise.all([director, rs1].map((h) => h?.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});

it("an apply cut off by SIGKILL is interrupted after the restart, and the next plan shows exactly what is left", async () => {
  server = await startPanel();
  const directorId = await addTrustedHost(director);
  const rs1Id = await addTrustedHost(rs1);
  const cluster = await call("POST", "/api/clusters", { name: "web" });
  await call("PUT", `/api/clusters/${cluster.id}/director`, {
    hostId: directorId,
    dip: "10.10.0.1",
    interface: "lan0",
  });
  const service = await call("POST", `/api/clusters/${cluster.id}/services`, {
    protocol: "tcp",
    vip: "10.10.0.200",
    port: 80,
    scheduler: "rr",
    forwarding: "nat",
  });
  await call("POST", `/api/services/${service.id}/realservers`, {
    address: "10.10.0.11",
    port: 80,
    hostId: rs1Id,
  });

  const rulesBefore = director.etcFile("ipvsadm.rules"); // the distribution's, if any
  const preview = await call("POST", `/api/clusters/${cluster.id}/plan`, {});
  const phases = new Set(stepList(preview).map((s) => s.split(" | ")[1]));
  expect([...phases]).toEqual(["prepare", "director-apply", "persist"]);

  // The director's ipvsadm step waits, so the process dies at a known point: every host prepared
  // (VIP, forwarding, return route), no IPVS service yet, nothing persisted.
  const hold = director.holdIpvsadmOn("-A -t 10.10.0.200:80");
  let applyId: string;
  try {
    applyId = (await call("POST", `/api/clusters/${cluster.id}/apply`, { planHash: preview.hash }))
      .applyId;
    await hold.reached();
    await kill(server, "SIGKILL");
    // What the dead panel left running on the director goes too, so the host stays exactly where
    // the apply got to (a command finishing later would be a different, also valid, state).
    await director.dropSessions();
  } finally {
    hold.release();
  }

  // The hosts, read directly: half applied.
  expect(director.ipvs()).toEqual([]);
  expect(await director.exec(["ip", "-o", "addr", "show", "dev", "lan0"])).toContain(
    "10.10.0.200/32",
  );
  expect((await director.exec(["sysctl", "-n", "net.ipv4.ip_forward"])).trim()).toBe("1");
  expect(await rs1.exec(["ip", "-4", "rule", "show"])).toContain(
    "from 10.10.0.11 ipproto tcp sport 80 lookup 4100",
  );
  expect(await rs1.exec(["ip", "-4", "route", "show", "table", "4100"])).toContain(
    "default via 10.10.0.1",
  );
  for (const h of [director, rs1]) {
    expect(h.etcFile("sysctl.d/90-lvs-panel.conf")).toBeNull();
    expect(h.etcFile("lvs-panel/addresses.sh")).toBeNull();
  }
  expect(director.etcFile("ipvsadm.rules")).toBe(rulesBefore);

  server = await startPanel();
  const apply = await call("GET", `/api/applies/${applyId}`);
  expect(apply.status).toBe("interrupted");
  expect(apply.error).toMatch(/stopped during this apply/);
  expect(apply.finishedAt).not.toBeNull();
  const history = await call("GET", `/api/clusters/${cluster.id}/applies`);
  expect(history.map((h: { id: string; status: string }) => [h.id, h.status])).toEqual([
    [applyId, "interrupted"],
  ]);

  // Exactly the difference: the previewed steps minus the prepare phase the dead apply finished.
  const next = await call("POST", `/api/clusters/${cluster.id}/plan`, {});
  expect(stepList(next)).toEqual(stepList(preview).filter((s) => !s.includes(" | prepare | ")));
  expect(next.summary.lines).toEqual(["add service TCP 10.10.0.200:80"]);

  // And applying it finishes the job.
  const again = await call("POST", `/api/clusters/${cluster.id}/apply`, { planHash: next.hash });
  let result: { status: string; events: unknown[] };
  for (;;) {
    result = await call("GET", `/api/applies/${again.applyId}`);
    if (result.status !== "running") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(result.status, JSON.stringify(result.events, null, 1)).toBe("succeeded");
  expect(director.ipvs().map((s) => s.realservers.map((r) => r.address))).toEqual([["10.10.0.11"]]);
  expect((await call("POST", `/api/clusters/${cluster.id}/plan`, {})).empty).toBe(true);
});
