// Hot reads answered from memory between writes. Under load nearly all of a read's cost was
// Prisma (query compilation and statement preparation on every call), for data that changes
// only when someone edits it. Every write request bumps the generation twice: when it starts,
// so a reader overlapping it cannot store what it read, and before its response goes out, so
// the writer's next read sees its own write. Writes made outside a request (an apply finishing)
// call `invalidate`.
//
// Routes opt in with `config: { readCache: true }`; only user-independent GETs may, because the
// key is the URL. Served from `preHandler`, after the auth and role checks of `onRequest`.
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { SessionUser } from "../services/auth-service.ts";
import { ReadCache } from "../services/read-cache.ts";

declare module "fastify" {
  interface FastifyInstance {
    readCache: {
      /** Serialised 200 responses of opted-in routes, by URL. */
      responses: ReadCache<string>;
      /** Who a session cookie or API token belongs to, by the token's hash. */
      users: ReadCache<SessionUser>;
      invalidate(): void;
    };
  }
  interface FastifyRequest {
    readCacheGeneration: number | null;
  }
  interface FastifyContextConfig {
    readCache?: boolean;
  }
}

const MAX_AGE_MS = 2_000;
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isCacheable(request: FastifyRequest): boolean {
  return request.method === "GET" && request.routeOptions.config.readCache === true;
}

export default fp(
  async function readCachePlugin(app: FastifyInstance) {
    const responses = new ReadCache<string>(MAX_AGE_MS, 10_000);
    const users = new ReadCache<SessionUser>(MAX_AGE_MS, 10_000);
    const invalidate = () => {
      responses.invalidate();
      users.invalidate();
    };
    app.decorate("readCache", { responses, users, invalidate });
    app.decorateRequest("readCacheGeneration", null);

    app.addHook("onRequest", async (request) => {
      if (!READ_METHODS.has(request.method)) invalidate();
    });
    app.addHook("preHandler", async (request, reply) => {
      if (!isCacheable(request)) return;
      const hit = responses.get(request.url);
      if (hit !== undefined) {
        reply
          .header("content-type", "application/json; charset=utf-8")
          .header("x-read-cache", "hit");
        return reply.send(hit);
      }
      request.readCacheGeneration = responses.generation;
    });
    app.addHook("onSend", async (request, reply, payload) => {
      if (!READ_METHODS.has(request.method)) {
        invalidate();
      } else if (
        request.readCacheGeneration !== null &&
        reply.statusCode === 200 &&
        typeof payload === "string"
      ) {
        responses.set(request.url, request.readCacheGeneration, payload);
      }
      return payload;
    });
  },
  { name: "read-cache" },
);
