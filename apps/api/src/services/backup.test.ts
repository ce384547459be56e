import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { onPostgresql } from "../../test/test-database.ts";
import { backupDatabase } from "./backup.ts";

let t: TestApp;
afterEach(async () => t?.close());

function post(name: string) {
  return t.app.inject({
    method: "POST",
    url: "/api/clusters",
    headers: { cookie: t.cookie },
    payload: { name },
  });
}

// A file-level copy: SQLite only (the PostgreSQL case is the next test).
it.skipIf(onPostgresql)(
  "copies the live database consistently while the app writes to it",
  async () => {
    t = await startTestApp();
    await post("before-backup");
    // Writes keep going while the backup runs.
    const writes = Promise.all(Array.from({ length: 20 }, (_, i) => post(`during-${i}`)));
    const file = await backupDatabase(t.databaseUrl, path.join(t.dir, "copy.db"));
    await writes;
    expect(existsSync(file)).toBe(true);
    const copy = new Database(file, { readonly: true });
    const names = copy.prepare("SELECT name FROM Cluster").all() as { name: string }[];
    expect(names.map((n) => n.name)).toContain("before-backup");
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();

    // Restoring is copying the file back while the panel is stopped; the copy opens as a database.
    const restored = new Database(file, { readonly: true });
    expect((restored.prepare("SELECT count(*) AS n FROM User").get() as { n: number }).n).toBe(1);
    restored.close();
  },
);

// pg_dump and pg_restore exactly as the README says: PostgreSQL only.
it.runIf(onPostgresql)(
  "dumps the live database while the app writes to it, and pg_restore brings it back",
  async () => {
    t = await startTestApp();
    await post("before-backup");
    const writes = Promise.all(Array.from({ length: 20 }, (_, i) => post(`during-${i}`)));
    const file = await backupDatabase(t.databaseUrl, path.join(t.dir, "copy.dump"));
    await writes;
    expect(existsSync(file)).toBe(true);
    expect((await post("after-backup")).statusCode).toBe(201);

    // The README's restore: stop the panel, restore over its database, start it again.
    await t.app.close();
    await promisify(execFile)("pg_restore", [
      "--clean",
      "--if-exists",
      "--no-owner",
      `--dbname=${t.databaseUrl}`,
      file,
    ]);
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const names = (await db.query<{ name: string }>('SELECT "name" FROM "Cluster"')).rows;
      expect(names.map((n) => n.name)).toContain("before-backup");
      expect(names.map((n) => n.name)).not.toContain("after-backup");
      expect((await db.query('SELECT 1 FROM "User"')).rowCount).toBe(1);
      // The migration history comes back with the data: `migrate deploy` finds nothing to do.
      expect((await db.query('SELECT 1 FROM "_prisma_migrations"')).rowCount).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
  },
);
