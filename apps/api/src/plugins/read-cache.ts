// Hot reads answered from memory between writes. Under load nearly all of a read's cost was
// Prisma (query compilation and statement preparation on every call), for data that changes
// only when someone edits it. Every write request that passes the auth and role checks bumps the
// generation twice: before its handler runs, so a reader overlapping it cannot store what it
// read, and before its response goes out, so the writer's next read sees its own write. A write
// made outside a request must call `invalidate` (none today: applies, host health and the stats
// sampler write nothing the cached routes return).
//
// Routes opt in with `config: { readCache: true }`; only user-independent GETs may, because the
// key is the path. Requests with a query string are not cached, so the number of entries is
// bounded by the number of clusters and hosts, not by what clients send. Served from
// `preHandler`, after the auth and role checks of `onRequest`.
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { SessionUser } from "../services/auth-service.ts";
import { ReadCache } from "../services/read-cache.ts";
import type { TokenHolder } from "../services/tokens.ts";

declare module "fastify" {
  interface FastifyInstance {
    readCache: {
      /** Serialised 200 responses of opted-in routes, by URL. */
      responses: ReadCache<string>;
      /** Who a session cookie belongs to, by the cookie's hash. */
      users: ReadCache<SessionUser>;
      /** Who an API token belongs to, its scope and expiry, by the token's hash. */
      tokens: ReadCache<TokenHolder>;
      invalidate(): void;
    };
  }
  interface FastifyRequest {
    readCacheGeneration: number | null;
    readCacheWrite: boolean;
  }
  interface FastifyContextConfig {
    readCache?: boolean;
  }
}

const MAX_AGE_MS = 2_000;
const MAX_BYTES = 64 * 1024 * 1024; // a safety net: a big panel's hot responses are a few MB
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isCacheable(request: FastifyRequest): boolean {
  return (
    request.method === "GET" &&
    request.routeOptions.config.readCache === true &&
    !request.url.includes("?")
  );
}

export default fp(
  async function readCachePlugin(app: FastifyInstance) {
    const responses = new ReadCache<string>(MAX_AGE_MS, 10_000, {
      maxWeight: MAX_BYTES,
      weigh: (payload) => payload.length,
    });
    const users = new ReadCache<SessionUser>(MAX_AGE_MS, 10_000);
    const tokens = new ReadCache<TokenHolder>(MAX_AGE_MS, 10_000);
    const invalidate = () => {
      responses.invalidate();
      users.invalidate();
      tokens.invalidate();
    };
    app.decorate("readCache", { responses, users, tokens, invalidate });
    app.decorateRequest("readCacheGeneration", null);
    app.decorateRequest("readCacheWrite", false);

    app.addHook("preHandler", async (request, reply) => {
      if (!READ_METHODS.has(request.method)) {
        // Past authentication, role and schema checks: this request may write.
        request.readCacheWrite = true;
        invalidate();
        return;
      }
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
      if (request.readCacheWrite) {
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
