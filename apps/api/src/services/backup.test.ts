import { existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { backupDatabase } from "./backup.ts";

let t: TestApp;
afterEach(async () => t?.close());

it("copies the live database consistently while the app writes to it", async () => {
  t = await startTestApp();
  const post = (name: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/clusters",
      headers: { cookie: t.cookie },
      payload: { name },
    });
  await post("before-backup");
  // Writes keep going while the backup runs.
  const writes = Promise.all(Array.from({ length: 20 }, (_, i) => post(`during-${i}`)));
  const file = await backupDatabase(`file:${t.dbFile}`, path.join(t.dir, "copy.db"));
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
});
