// The API process dies mid-apply: on the next start the apply is marked interrupted (it cannot be
// resumed), so history says so and the next plan — which reads the hosts — shows what differs.
import { afterEach, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/app-fixture.ts";
import { buildApp } from "../../app.ts";

let t: TestApp;
afterEach(async () => t?.close());

it("marks an apply left running by a killed process as interrupted at the next start", async () => {
  t = await startTestApp();
  const cluster = await t.app.db.cluster.create({ data: { name: "c" } });
  const apply = await t.app.db.apply.create({
    data: { clusterId: cluster.id, status: "running", plan: "{}", desired: "{}" },
  });
  // A second process on the same database file stands in for the restarted panel.
  const restarted = await buildApp({
    databaseUrl: t.databaseUrl,
    dataDir: t.dir,
    adminPassword: undefined,
    secretKey: undefined,
    webDist: undefined,
    sessionIdleMinutes: 60,
    cookieSecure: false,
  });
  try {
    const after = await restarted.db.apply.findUniqueOrThrow({ where: { id: apply.id } });
    expect(after.status).toBe("interrupted");
    expect(after.error).toMatch(/stopped during this apply/);
    expect(after.finishedAt).not.toBeNull();
  } finally {
    await restarted.close();
  }
});
