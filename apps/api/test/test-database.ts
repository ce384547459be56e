// A fresh, migrated database for each test app, on SQLite (a copy of a migrated template file) or
// on PostgreSQL (CREATE DATABASE … TEMPLATE a migrated template database, on the server in
// LVS_PANEL_TEST_POSTGRES_URL). The api-pg project sets LVS_PANEL_TEST_DATABASE=postgresql.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export type TestDatabaseProvider = "sqlite" | "postgresql";

/** Which database this test run uses: the api-pg project runs the same files on PostgreSQL. */
export function testDatabaseProvider(
  env: Record<string, string | undefined> = process.env,
): TestDatabaseProvider {
  return env.LVS_PANEL_TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";
}

export const onPostgresql = testDatabaseProvider() === "postgresql";

/** Where the template is: a SQLite file, or the URL of a PostgreSQL database. */
export interface TestDatabaseTemplate {
  provider: TestDatabaseProvider;
  location: string;
}

export interface TestDatabase {
  url: string;
  /** The SQLite file; undefined on PostgreSQL. */
  file: string | undefined;
  drop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, "../../..");

/** Migrates a template with the real Prisma CLI (the `migrate deploy` that `npm start` runs). */
export async function createTemplate(provider: TestDatabaseProvider): Promise<{
  template: TestDatabaseTemplate;
  dispose(): Promise<void>;
}> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-api-test-"));
    const file = path.join(dir, "template.db");
    migrate(`file:${file}`);
    return {
      template: { provider: "sqlite", location: file },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = postgresServerUrl();
  const name = randomName("template");
  // A linguistic default collation, as on most servers, so a test that depends on how text
  // sorts sees what production would (the panel's columns compare byte by byte regardless).
  await onServer(
    server,
    `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ` +
      "ICU_LOCALE 'en-US' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
  );
  const url = databaseUrl(server, name);
  try {
    migrate(url);
  } catch (err) {
    await dropDatabase(server, name);
    throw err;
  }
  return {
    template: { provider: "postgresql", location: url },
    dispose: () => dropDatabase(server, name),
  };
}

/** A new database with the template's schema, for one test app. */
export async function createTestDatabase(template: TestDatabaseTemplate): Promise<TestDatabase> {
  if (template.provider === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-db-"));
    const file = path.join(dir, "test.db");
    copyFileSync(template.location, file);
    return {
      url: `file:${file}`,
      file,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = postgresServerUrl();
  const templateName = new URL(template.location).pathname.slice(1);
  const name = randomName("db");
  // A file copy on the server: much faster than running the migrations again.
  await onServer(server, `CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
  return {
    url: databaseUrl(server, name),
    file: undefined,
    drop: () => dropDatabase(server, name),
  };
}

function postgresServerUrl(): string {
  const url = process.env.LVS_PANEL_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      "LVS_PANEL_TEST_POSTGRES_URL is not set: the api-pg tests need a PostgreSQL server, e.g. " +
        "postgresql://lvs_panel_test:lvs_panel_test@127.0.0.1:5432/postgres (.ci/run sets one up)",
    );
  }
  return url;
}

function migrate(url: string): void {
  execFileSync(path.join(repoRoot, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
}

/** Unique per run and per database, so parallel runs on one server never collide. */
function randomName(kind: string): string {
  return `lvs_panel_test_${kind}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(server: string, name: string): Promise<void> {
  // A test that failed may have left its app's connections open: end ours first. Not WITH
  // (FORCE): that also terminates the server's autovacuum workers, which the test role may not
  // signal ("must be a member of the role whose process is being terminated", seen in CI). A
  // plain DROP makes autovacuum leave the database by itself; a worker still on its way out
  // makes it fail "being accessed by other users", so it is tried again.
  await onServer(
    server,
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()",
    [name],
  );
  for (let attempt = 1; ; attempt++) {
    try {
      await onServer(server, `DROP DATABASE IF EXISTS "${name}"`);
      return;
    } catch (err) {
      if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function onServer(server: string, sql: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}
