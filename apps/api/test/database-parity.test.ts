// Where SQLite and PostgreSQL could answer differently, pinned: this file runs in the api project
// (SQLite) and in api-pg (PostgreSQL) and expects the same answers from both, except where a
// difference is documented (docs/decisions/0006-postgresql.md).
import { afterEach, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./app-fixture.ts";
import { onPostgresql } from "./test-database.ts";

let t: TestApp;
afterEach(async () => t?.close());

function createCluster(name: string) {
  return t.app.inject({
    method: "POST",
    url: "/api/clusters",
    headers: { cookie: t.cookie },
    payload: { name },
  });
}

it("names are unique case-sensitively: Web and web are two clusters, web twice is a conflict", async () => {
  t = await startTestApp();
  expect((await createCluster("Web")).statusCode).toBe(201);
  expect((await createCluster("web")).statusCode).toBe(201);
  const again = await createCluster("web");
  expect(again.statusCode).toBe(409);
  expect(again.json().fields).toEqual({ name: expect.any(String) });
});

it("lists sort names byte by byte, whatever the database's locale", async () => {
  // The api-pg template database has a linguistic (ICU en-US) default collation, where this
  // order would be "_x a A b B é".
  t = await startTestApp();
  for (const name of ["b", "B", "é", "a", "_x", "A"]) {
    expect((await createCluster(name)).statusCode).toBe(201);
  }
  const list = await t.app.inject({
    method: "GET",
    url: "/api/clusters",
    headers: { cookie: t.cookie },
  });
  expect(list.json().map((c: { name: string }) => c.name)).toEqual(["A", "B", "_x", "a", "b", "é"]);
});

it("racing creates of one name: one wins, the others are conflicts (never a 500)", async () => {
  // SQLite runs one write transaction at a time; PostgreSQL runs them side by side and the
  // unique index refuses the losers.
  t = await startTestApp();
  const answers = await Promise.all(Array.from({ length: 10 }, () => createCluster("same")));
  const codes = answers.map((a) => a.statusCode).sort();
  expect(codes).toEqual([201, ...Array(9).fill(409)]);
});

it("racing first-run setups: one admin, the other told it is already set up", async () => {
  t = await startTestApp({ adminPassword: null });
  const setup = (password: string) =>
    t.app.inject({ method: "POST", url: "/api/auth/setup", payload: { password } });
  const answers = await Promise.all([setup("first-password"), setup("second-password")]);
  expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
  const refused = answers.find((a) => a.statusCode === 409);
  expect(refused?.json().code).toBe("ALREADY_SET_UP");
});

it("times round-trip to the millisecond in UTC", async () => {
  t = await startTestApp();
  const before = Date.now();
  const created = await t.app.db.cluster.create({ data: { name: "clock" } });
  const read = await t.app.db.cluster.findUniqueOrThrow({ where: { id: created.id } });
  expect(read.createdAt.getTime()).toBe(created.createdAt.getTime());
  expect(Math.abs(read.createdAt.getTime() - before)).toBeLessThan(60_000);
});

it("a NUL character in text: stored by SQLite, refused by PostgreSQL with a 400 (never a 500)", async () => {
  // Names refuse control characters on both; a description or an id in a URL is free text.
  t = await startTestApp();
  const created = await t.app.inject({
    method: "POST",
    url: "/api/clusters",
    headers: { cookie: t.cookie },
    payload: { name: "nul", description: "a\u0000b" },
  });
  const lookup = await t.app.inject({
    method: "GET",
    url: "/api/clusters/a%00b",
    headers: { cookie: t.cookie },
  });
  if (onPostgresql) {
    expect(created.statusCode).toBe(400);
    expect(created.json().code).toBe("INVALID_TEXT");
    expect(lookup.statusCode).toBe(400);
  } else {
    expect(created.statusCode).toBe(201);
    expect(lookup.statusCode).toBe(404);
  }
});
