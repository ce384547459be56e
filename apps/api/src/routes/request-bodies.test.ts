// Request bodies at the edges: every route that takes a body is called with none (as `curl -X
// POST` sends), with an empty JSON body, and with a body of the wrong type. Routes whose body has
// no required field must take none as {} and do their work; the others must say "body: is
// required" (or "must be an object"), in plain words naming the field. The routes come from the
// OpenAPI document, so a new route is covered without being listed here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
const WRITE_METHODS = ["post", "put", "patch"] as const;
// Type-system words zod uses by default: none may reach an operator.
const JARGON = /Invalid input|expected \w+, received|Too (small|big)|>=|<=|must be a object/;

interface Route {
  method: (typeof WRITE_METHODS)[number];
  path: string;
  /** The body schema names no required field: no body is {}. */
  optionalBody: boolean;
  /** The body is a list (PUT /api/clusters/{id}/directors), not an object. */
  list: boolean;
}

/**
 * What a route whose body has no required field answers to no body. A PATCH changes nothing and
 * returns the row; plan and apply get past validation to what they say of a cluster without a
 * director. A new such route must be added here, with what it should answer.
 */
const NO_BODY_ANSWERS: Record<string, { status: number; code?: string }> = {
  "patch /api/clusters/{id}": { status: 200 },
  "patch /api/hosts/{id}": { status: 200 },
  "patch /api/users/{id}": { status: 200 },
  "patch /api/services/{id}": { status: 200 },
  "patch /api/realservers/{id}": { status: 200 },
  "post /api/clusters/{id}/plan": { status: 409, code: "NO_DIRECTOR" },
  "post /api/clusters/{id}/apply": { status: 409, code: "NO_DIRECTOR" },
};

let routes: Route[] = [];
/** A row of each kind, by the path prefix whose {id} it fills. */
const ids: Record<string, string> = {};

async function create(url: string, payload: object): Promise<string> {
  const res = await t.app.inject({ method: "POST", url, headers: { cookie: t.cookie }, payload });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
  return res.json().id;
}

beforeAll(async () => {
  t = await startTestApp();
  ids["/api/clusters/"] = await create("/api/clusters", { name: "bodies" });
  ids["/api/hosts/"] = await create("/api/hosts", {
    name: "bodies",
    address: "192.0.2.10",
    auth: { type: "password", password: "bodies-secret" },
  });
  ids["/api/users/"] = await create("/api/users", {
    username: "bodies",
    password: "password-123",
    role: "viewer",
  });
  ids["/api/services/"] = await create(`/api/clusters/${ids["/api/clusters/"]}/services`, {
    protocol: "tcp",
    vip: "10.0.0.1",
    port: 80,
    scheduler: "rr",
    forwarding: "nat",
  });
  ids["/api/realservers/"] = await create(`/api/services/${ids["/api/services/"]}/realservers`, {
    address: "10.0.0.11",
    port: 80,
  });
  const doc = (await t.app.inject({ method: "GET", url: "/api/docs/json" })).json() as {
    paths: Record<
      string,
      Partial<
        Record<
          string,
          {
            requestBody?: {
              content?: Record<string, { schema?: { required?: string[]; type?: string } }>;
            };
          }
        >
      >
    >;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    WRITE_METHODS.flatMap((method) => {
      const body = ops[method]?.requestBody;
      if (body === undefined) return [];
      const schema = body.content?.["application/json"]?.schema;
      const list = schema?.type === "array";
      const required = schema?.required ?? [];
      return [{ method, path, optionalBody: !list && required.length === 0, list }];
    }),
  );
});
afterAll(async () => t?.close());

const nameOf = (route: Route) => `${route.method} ${route.path}`;

/** A path with its id filled in: a row of that kind the test made, or a missing id. */
function urlOf(route: Pick<Route, "path">): string {
  return route.path.replace("{id}", idOf(route.path));
}

function idOf(path: string): string {
  const prefix = Object.keys(ids).find((p) => path.startsWith(p));
  return (prefix && ids[prefix]) || "nope";
}

function send(route: Pick<Route, "method" | "path">, payload?: string, contentType?: string) {
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
    const names = routes.map(nameOf);
    expect(names).toContain("post /api/clusters/{id}/plan");
    expect(names).toContain("post /api/clusters/{id}/apply");
    expect(names.length).toBeGreaterThan(10);
    expect(routes.filter((r) => r.list).map(nameOf)).toEqual(["put /api/clusters/{id}/directors"]);
    // The routes whose body has no required field are exactly those with an answer above.
    expect(
      routes
        .filter((r) => r.optionalBody)
        .map(nameOf)
        .sort(),
    ).toEqual(Object.keys(NO_BODY_ANSWERS).sort());
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

  it("every route whose fields are all optional works with no body; the others need one", async () => {
    for (const route of routes.filter((r) => !skip(r))) {
      for (const type of [undefined, "application/json"]) {
        const res = await send(route, type ? "" : undefined, type);
        const label = `${nameOf(route)} (${type ?? "no content-type"})`;
        const answer = NO_BODY_ANSWERS[nameOf(route)];
        if (route.optionalBody && answer) {
          expect(res.statusCode, `${label}: ${res.body}`).toBe(answer.status);
          if (answer.code) expect(res.json().code, label).toBe(answer.code);
          // A PATCH without a body is one that changes nothing: it answers with the same row.
          if (route.method === "patch") expect(res.json().id, label).toBe(idOf(route.path));
          continue;
        }
        expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
        const body = res.json();
        expect(body.code, label).toBe("VALIDATION");
        expect(body.fields, label).toEqual({ body: "is required" });
        expect(body.message, label).toBe("body: is required");
      }
    }
  });

  it("a PATCH with no body changes nothing", async () => {
    const url = `/api/clusters/${ids["/api/clusters/"]}`;
    const before = (
      await t.app.inject({ method: "GET", url, headers: { cookie: t.cookie } })
    ).json();
    const res = await send({ method: "patch", path: "/api/clusters/{id}" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: before.name,
      description: before.description,
      engine: before.engine,
    });
  });

  it("a body of the wrong type is named as such, in plain words, on every route", async () => {
    for (const route of routes.filter((r) => !skip(r))) {
      for (const payload of ["[]", '"text"', "42"]) {
        const res = await send(route, payload, "application/json");
        const label = `${route.method} ${route.path} with ${payload}`;
        expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
        if (!route.list) {
          expect(res.json().fields, label).toEqual({ body: "must be an object" });
        } else if (payload === "[]") {
          expect(res.json().fields.body, label).toMatch(/^must list one/);
        } else {
          expect(res.json().fields, label).toEqual({ body: "must be a list" });
        }
      }
    }
  });

  it("field messages are plain English and name the field", async () => {
    const cases: [string, unknown, Record<string, string>][] = [
      ["/api/clusters", { name: "" }, { name: "is required" }],
      ["/api/clusters", { name: 5 }, { name: "must be text" }],
      [
        `/api/clusters/${ids["/api/clusters/"]}/plan`,
        { drain: "yes" },
        { drain: "must be true or false" },
      ],
      [
        `/api/clusters/${ids["/api/clusters/"]}/services`,
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
