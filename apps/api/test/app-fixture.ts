// A real app on a real database of its own (a copy of the migrated template: a SQLite file, or a
// PostgreSQL database in the api-pg project), signed in as admin.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { inject } from "vitest";
import { type AppOptions, buildApp } from "../src/app.ts";
import { createTestDatabase } from "./test-database.ts";

export const ADMIN_PASSWORD = "admin-password-1";

export interface TestApp {
  app: FastifyInstance;
  /** The data directory (secret key); scratch space for the test. */
  dir: string;
  /** The app's DATABASE_URL, for a second app on the same database (a restart). */
  databaseUrl: string;
  /** The SQLite file; throws on PostgreSQL (a test reading the file is SQLite-only). */
  readonly dbFile: string;
  cookie: string;
  close(): Promise<void>;
}

/** Knobs a test may turn (shorter SSH timeouts, a faster live tick); unset means the defaults. */
export type TestAppTimeouts = Partial<
  Pick<
    AppOptions,
    "sshConnectTimeoutMs" | "sshCommandTimeoutMs" | "liveIntervalMs" | "statsIntervalMs"
  >
>;

export async function startTestApp(
  opts: { adminPassword?: string | null; metrics?: AppOptions["metrics"] } & TestAppTimeouts = {},
): Promise<TestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-api-"));
  const database = await createTestDatabase(inject("templateDb"));
  const app = await buildApp({
    databaseUrl: database.url,
    dataDir: dir,
    adminPassword: opts.adminPassword === null ? undefined : (opts.adminPassword ?? ADMIN_PASSWORD),
    secretKey: undefined,
    webDist: undefined,
    sessionIdleMinutes: 60,
    cookieSecure: false,
    sshConnectTimeoutMs: opts.sshConnectTimeoutMs,
    sshCommandTimeoutMs: opts.sshCommandTimeoutMs,
    liveIntervalMs: opts.liveIntervalMs,
    statsIntervalMs: opts.statsIntervalMs,
    metrics: opts.metrics,
  }).catch(async (err: unknown) => {
    await database.drop();
    throw err;
  });
  let cookie = "";
  if (opts.adminPassword !== null) cookie = await login(app, "admin", ADMIN_PASSWORD);
  return {
    app,
    dir,
    databaseUrl: database.url,
    get dbFile() {
      if (!database.file) throw new Error("dbFile: this test reads the SQLite file (SQLite only)");
      return database.file;
    },
    cookie,
    async close() {
      await app.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function login(app: FastifyInstance, username: string, password: string) {
  const res = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers["set-cookie"];
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!raw) throw new Error("login set no cookie");
  return raw.split(";")[0] ?? "";
}
