// Every route the app registers is part of the contract: it declares what it answers (a response
// schema per status, or the schema of its events for a stream), and the OpenAPI page lists it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

/** The API's own routes: not HEAD (Fastify adds one per GET), not the docs UI's files. */
const apiRoutes = () =>
  t.app.registeredRoutes.filter(
    (r) => r.url.startsWith("/api/") && r.method !== "HEAD" && !r.url.startsWith("/api/docs"),
  );

describe("the wire contract", () => {
  it("sees the routes the app registers", () => {
    const names = apiRoutes().map((r) => `${r.method} ${r.url}`);
    expect(names).toContain("POST /api/clusters/:id/plan");
    expect(names).toContain("GET /api/applies/:id/events");
    expect(names.length).toBeGreaterThan(40);
  });

  it("every route declares a response schema (or the schema of its event stream)", () => {
    const missing = apiRoutes()
      .filter((r) => r.responses.length === 0 && !r.eventStream)
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it("the OpenAPI page documents every route the app registers", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/docs/json" });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, unknown>>;
    const undocumented = apiRoutes()
      .filter((r) => !r.hidden)
      .filter((r) => {
        const path = r.url.replace(/:(\w+)/g, "{$1}");
        return paths[path]?.[r.method.toLowerCase()] === undefined;
      })
      .map((r) => `${r.method} ${r.url}`);
    expect(undocumented).toEqual([]);
  });

  it("the OpenAPI page offers Authorize with an API token; public routes need none", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/docs/json" })).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: "lvs_session",
    });
    expect(doc.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(doc.paths["/api/clusters"].get.security).toBeUndefined();
    expect(doc.paths["/api/health"].get.security).toEqual([]);
    expect(doc.paths["/api/auth/login"].post.security).toEqual([]);
    const ui = await t.app.inject({ method: "GET", url: "/api/docs/" });
    expect(ui.statusCode).toBe(200);
  });
});
