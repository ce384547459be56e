// The error plugin on database errors: a unique constraint the services' own checks missed (two
// requests racing) is a 409 that says what already exists, on the field a form shows it next to.
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { Prisma } from "../generated/prisma/client.ts";
import errorsPlugin from "./errors.ts";

let t: TestApp;
let app: FastifyInstance;
let next: unknown;

beforeAll(async () => {
  t = await startTestApp();
  app = Fastify();
  await app.register(errorsPlugin);
  // Each route writes the same row twice with the real client, so Prisma's own error reaches
  // the plugin; the second route throws whatever the test hands it.
  app.post("/cluster", async () => {
    await t.app.db.cluster.create({ data: { name: "twice" } });
    return t.app.db.cluster.create({ data: { name: "twice" } });
  });
  app.post("/user", async () => {
    const data = { username: "twice", passwordHash: "x" };
    await t.app.db.user.create({ data });
    return t.app.db.user.create({ data });
  });
  app.post("/throw", async () => {
    throw next;
  });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

function p2002(meta: Record<string, unknown>) {
  return new Prisma.PrismaClientKnownRequestError("Unique constraint failed", {
    code: "P2002",
    clientVersion: Prisma.prismaVersion.client,
    meta,
  });
}

async function thrown(err: unknown) {
  next = err;
  return app.inject({ method: "POST", url: "/throw" });
}

describe("a unique constraint", () => {
  it.each([
    ["/cluster", "name", "a cluster with this name already exists"],
    ["/user", "username", "a user with this username already exists"],
  ])("from the database (%s) names the field that exists", async (url, field, message) => {
    const res = await app.inject({ method: "POST", url });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toEqual({
      statusCode: 409,
      code: "CONFLICT",
      message,
      fields: { [field]: message },
    });
  });

  it("over several fields names them all, where their parent is, on the last one", async () => {
    const res = await thrown(
      p2002({
        modelName: "RealServer",
        driverAdapterError: {
          name: "DriverAdapterError",
          cause: {
            kind: "UniqueConstraintViolation",
            constraint: { fields: ["serviceId", "address", "port"] },
          },
        },
      }),
    );
    const message = "a realserver with this address and port already exists in this service";
    expect(res.json()).toEqual({
      statusCode: 409,
      code: "CONFLICT",
      message,
      fields: { port: message },
    });
  });

  it("reads the query engine's meta.target too", async () => {
    const res = await thrown(p2002({ modelName: "Host", target: ["name"] }));
    expect(res.json().fields).toEqual({ name: "a host with this name already exists" });
  });

  it("without the fields still says what exists, with the same status and code", async () => {
    const res = await thrown(p2002({ modelName: "ApiToken" }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      statusCode: 409,
      code: "CONFLICT",
      message: "an API token with these values already exists",
    });
  });
});
