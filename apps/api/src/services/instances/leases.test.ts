// The lease primitives on the test's database (SQLite in project api, PostgreSQL in api-pg): one
// holder at a time, even when many take at once; an expired lease is taken over; renew and release
// touch only the holder's own leases.
import { afterEach, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/app-fixture.ts";
import { releaseLease, renewLeases, takeLease } from "./leases.ts";

let t: TestApp;
afterEach(async () => t?.close());

it("gives a free lease to exactly one of many takers at once", async () => {
  t = await startTestApp();
  const takers = Array.from({ length: 8 }, (_, i) => `instance-${i}`);
  const won = await Promise.all(takers.map((h) => takeLease(t.app.db, "apply:c1", h, 60_000)));
  expect(won.filter(Boolean)).toHaveLength(1);
  const holder = takers[won.indexOf(true)];
  expect((await t.app.db.lease.findUniqueOrThrow({ where: { key: "apply:c1" } })).holder).toBe(
    holder,
  );
  // Held and not expired: refused, to its holder too (one apply per cluster).
  expect(await takeLease(t.app.db, "apply:c1", "other", 60_000)).toBe(false);
  expect(await takeLease(t.app.db, "apply:c1", holder as string, 60_000)).toBe(false);
});

it("takes over an expired lease once, however many try", async () => {
  t = await startTestApp();
  const db = t.app.db;
  await db.lease.create({
    data: { key: "apply:c9", holder: "dead", expiresAt: new Date(Date.now() - 1000) },
  });
  const won = await Promise.all(
    ["a", "b", "c", "d"].map((h) => takeLease(db, "apply:c9", h, 60_000)),
  );
  expect(won.filter(Boolean)).toHaveLength(1);
  expect((await db.lease.findUniqueOrThrow({ where: { key: "apply:c9" } })).holder).not.toBe(
    "dead",
  );
});

it("renews and releases only the holder's own leases", async () => {
  t = await startTestApp();
  const db = t.app.db;
  expect(await takeLease(db, "apply:c1", "a", 1000)).toBe(true);
  expect(await takeLease(db, "apply:c2", "b", 1000)).toBe(true);
  const before = await db.lease.findUniqueOrThrow({ where: { key: "apply:c2" } });
  expect([...(await renewLeases(db, "a", 60_000))]).toEqual(["apply:c1"]);
  const renewed = await db.lease.findUniqueOrThrow({ where: { key: "apply:c1" } });
  expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
  expect((await db.lease.findUniqueOrThrow({ where: { key: "apply:c2" } })).expiresAt).toEqual(
    before.expiresAt,
  );
  await releaseLease(db, "apply:c2", "a");
  const applyLeases = { where: { key: { startsWith: "apply:" } } }; // the app holds "background"
  expect(await db.lease.count(applyLeases)).toBe(2);
  await releaseLease(db, "apply:c2", "b");
  expect(await db.lease.findMany({ ...applyLeases, select: { key: true } })).toEqual([
    { key: "apply:c1" },
  ]);
});
