// Serves the built SPA at `/` with an index.html fallback for client-side routes; unknown /api
// paths stay JSON 404s.
import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

export default fp<{ webDist: string | undefined }>(async function spaPlugin(
  app: FastifyInstance,
  opts,
) {
  const dist = opts.webDist;
  const hasSpa = dist !== undefined && existsSync(path.join(dist, "index.html"));
  if (hasSpa) {
    await app.register(fastifyStatic, { root: dist, wildcard: false, index: ["index.html"] });
  }
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split("?")[0] ?? "";
    if (pathname.startsWith("/api") || request.method !== "GET" || !hasSpa) {
      return reply.code(404).send({
        statusCode: 404,
        code: "NOT_FOUND",
        message:
          hasSpa || pathname.startsWith("/api")
            ? `no route ${request.method} ${pathname}`
            : "the web UI is not built: run `npm run build`",
      });
    }
    return reply.sendFile("index.html");
  });
});
