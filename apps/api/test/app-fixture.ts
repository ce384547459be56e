// A real app on a real SQLite file (a copy of the migrated template), signed in as admin.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { inject } from "vitest";
import { type AppOptions, buildApp } from "../src/app.ts";

export const ADMIN_PASSWORD = "admin-password-1";

export interface TestApp {
  app: FastifyInstance;
  dir: string;
  dbFile: string;
  cookie: string;
  close(): Promise<void>;
}

/** Knobs a test may turn (shorter SSH timeouts, a faster live tick); unset means the defaults. */
export type TestAppTimeouts = Partial<
  Pick<AppOptions, "sshConnectTimeoutMs" | "sshCommandTimeoutMs" | "liveIntervalMs">
>;

export async function startTestApp(
  opts: { adminPassword?: string | null } & TestAppTimeouts = {},
): Promise<TestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-api-"));
  const dbFile = path.join(dir, "test.db");
  copyFileSync(inject("templateDb"), dbFile);
  const app = await buildApp({
    databaseUrl: `file:${dbFile}`,
    dataDir: dir,
    adminPassword: opts.adminPassword === null ? undefined : (opts.adminPassword ?? ADMIN_PASSWORD),
    secretKey: undefined,
    webDist: undefined,
    sessionIdleMinutes: 60,
    cookieSecure: false,
    sshConnectTimeoutMs: opts.sshConnectTimeoutMs,
    sshCommandTimeoutMs: opts.sshCommandTimeoutMs,
    liveIntervalMs: opts.liveIntervalMs,
  });
  let cookie = "";
  if (opts.adminPassword !== null) cookie = await login(app, "admin", ADMIN_PASSWORD);
  return {
    app,
    dir,
    dbFile,
    cookie,
    async close() {
      await app.close();
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
