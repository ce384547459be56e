// Request bodies at the edges: every route that takes a body is called with none (as `curl -X
// POST` sends), with an empty JSON body, and with a body of the wrong type. Routes whose body is
// optional must accept none; the others must say "body: is required" (or "must be an object"),
// in plain words naming the field. The routes come from the OpenAPI document, so a new route is
// covered without being listed here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
let clusterId = "";
const WRITE_METHODS = ["post", "put", "patch"] as const;
// Type-system words zod uses by default: none may reach an operator.
const JARGON = /Invalid input|expected \w+, received|Too (small|big)|>=|<=|must be a object/;

interface Route {
  method: (typeof WRITE_METHODS)[number];
  path: string;
}

let routes: Route[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const res = await t.app.inject({
    method: "POST",
    url: "/api/clusters",
    headers: { cookie: t.cookie },
    payload: { name: "bodies" },
  });
  clusterId = res.json().id;
  const doc = (await t.app.inject({ method: "GET", url: "/api/docs/json" })).json() as {
    paths: Record<string, Partial<Record<string, { requestBody?: unknown }>>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    WRITE_METHODS.filter((m) => ops[m]?.requestBody !== undefined).map((method) => ({
      method,
      path,
    })),
  );
});
afterAll(async () => t?.close());

/** A path with its ids filled in: the cluster's where there is one, a missing id elsewhere. */
function urlOf(route: Route): string {
  return route.path.replace("{id}", route.path.startsWith("/api/clusters/") ? clusterId : "nope");
}

function send(route: Route, payload?: string, contentType?: string) {
  return t.app.inject({
    method: route.method.toUpperCase() as "POST",
    url: urlOf(route),
    headers: {
      cookie: t.cookie,
      ...(contentType ? { "content-type": contentType } : {}),
    },
    ...(payload === undefined ? {} : { payload }),
  });
}

// Logging out would end the session the other requests use; it takes no body anyway.
const skip = (r: Route) => r.path === "/api/auth/logout";

describe("request bodies", () => {
  it("finds the routes that take a body in the OpenAPI document", () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toContain("post /api/clusters/{id}/plan");
    expect(names).toContain("post /api/clusters/{id}/apply");
    expect(names.length).toBeGreaterThan(10);
  });

  it("plan and apply accept no body at all, and an empty JSON body", async () => {
    for (const path of ["/api/clusters/{id}/plan", "/api/clusters/{id}/apply"]) {
      for (const [payload, type] of [
        [undefined, undefined],
        ["", "application/json"],
        ["   ", "application/json"],
      ] as const) {
        const res = await send({ method: "post", path }, payload, type);
        // Past validation: the cluster has no director yet, which is what they say.
        expect(res.statusCode, `${path} ${type ?? "no body"}: ${res.body}`).toBe(409);
        expect(res.json().code).toBe("NO_DIRECTOR");
      }
    }
  });

  it("every route answers a missing body either by working or with 'body: is required'", async () => {
    for (const route of routes.filter((r) => !skip(r))) {
      for (const type of [undefined, "application/json"]) {
        const res = await send(route, type ? "" : undefined, type);
        const label = `${route.method} ${route.path} (${type ?? "no content-type"})`;
        expect(res.statusCode, `${label}: ${res.body}`).not.toBe(500);
        if (res.statusCode !== 400) continue;
        const body = res.json();
        expect(body.code, label).toBe("VALIDATION");
        expect(body.fields, label).toEqual({ body: "is required" });
        expect(body.message, label).toBe("body: is required");
      }
    }
  });

  it("a body of the wrong type is named as such, in plain words, on every route", async () => {
    for (const route of routes.filter((r) => !skip(r))) {
      for (const payload of ["[]", '"text"', "42"]) {
        const res = await send(route, payload, "application/json");
        const label = `${route.method} ${route.path} with ${payload}`;
        expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
        expect(res.json().fields, label).toEqual({ body: "must be an object" });
      }
    }
  });

  it("field messages are plain English and name the field", async () => {
    const cases: [string, unknown, Record<string, string>][] = [
      ["/api/clusters", { name: "" }, { name: "is required" }],
      ["/api/clusters", { name: 5 }, { name: "must be text" }],
      [`/api/clusters/${clusterId}/plan`, { drain: "yes" }, { drain: "must be true or false" }],
      [
        `/api/clusters/${clusterId}/services`,
        { protocol: "tcp", vip: "10.0.0.1", port: 1.5, scheduler: "rr", forwarding: "nat" },
        { port: "must be a whole number from 1 to 65535" },
      ],
    ];
    for (const [url, payload, fields] of cases) {
      const res = await t.app.inject({
        method: "POST",
        url,
        headers: { cookie: t.cookie },
        payload: payload as object,
      });
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json();
      expect(body.fields).toMatchObject(fields);
      expect(body.message).not.toMatch(JARGON);
      for (const reason of Object.values(body.fields as Record<string, string>)) {
        expect(reason).not.toMatch(JARGON);
      }
    }
  });
});
