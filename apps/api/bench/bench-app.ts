// The panel as the benchmarks run it: a real app on a freshly migrated SQLite file in a temp
// folder, signed in as admin through the API.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { type AppOptions, buildApp } from "../src/app.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const PASSWORD = "bench-password";

export interface BenchApp {
  app: FastifyInstance;
  /** Signs in as admin; the session cookie for app.inject. */
  signIn(): Promise<string>;
  close(): Promise<void>;
}

export async function startBenchApp(
  name: string,
  /** Options beyond the defaults (GET /metrics, the counters' sampler…). */
  extra: Partial<AppOptions> = {},
): Promise<BenchApp> {
  const dir = mkdtempSync(path.join(tmpdir(), `lvs-panel-${name}-bench-`));
  const db = path.join(dir, "bench.db");
  execFileSync(path.join(repoRoot, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: `file:${db}` },
    stdio: "ignore",
  });
  const app = await buildApp({
    databaseUrl: `file:${db}`,
    dataDir: dir,
    adminPassword: PASSWORD,
    secretKey: undefined,
    webDist: undefined,
    sessionIdleMinutes: 60,
    cookieSecure: false,
    ...extra,
  });
  return {
    app,
    async signIn() {
      const login = await app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { username: "admin", password: PASSWORD },
      });
      return String(login.headers["set-cookie"]).split(";")[0] ?? "";
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
