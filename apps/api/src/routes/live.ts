import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { openEventStream } from "../http/event-stream.ts";
import { idParams } from "../http/schemas.ts";
import { notFound } from "../services/errors.ts";
import type { LiveEvent, LiveHub } from "../services/live/live-hub.ts";

const liveQuery = z.object({
  service: z.string().max(80).optional(),
  realserver: z.string().max(80).optional(),
  state: z
    .string()
    .max(20)
    .regex(/^[A-Z_]*$/, { message: "must be an IPVS state such as ESTABLISHED" })
    .optional(),
  client: z.string().max(64).optional(),
  templates: z.enum(["true", "false"]).optional(),
  // 0: no connection rows. Without a filter, only ipvsadm's counters: when every watcher of a
  // cluster asks that (the cluster page), the connection table is not read and ticks carry no
  // `totals`/`matched`. With a filter, `matched` counts the table (which is then read).
  limit: z.coerce.number().int().min(0).max(5000).default(500),
});

const liveRoutes: FastifyPluginAsyncZod<{ live: LiveHub }> = async (app, { live }) => {
  app.get(
    "/api/clusters/:id/live",
    {
      schema: {
        tags: ["live"],
        summary:
          "Server-sent events, one `tick` per interval: the director's connection table filtered and limited on the server, counts by state/service/realserver, --stats and --rate figures",
        params: idParams,
        querystring: liveQuery,
      },
    },
    async (request, reply) => {
      const cluster = await app.db.cluster.findUnique({ where: { id: request.params.id } });
      if (!cluster) throw notFound("cluster");
      const q = request.query;
      const raw = openEventStream(reply);
      const send = (e: LiveEvent) => {
        const data = e.type === "tick" ? e.tick : { message: e.message, at: e.at };
        raw.write(`event: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const stop = live.watch(
        cluster.id,
        {
          service: q.service,
          realserver: q.realserver,
          state: q.state || undefined,
          client: q.client,
          templates: q.templates === "true",
          limit: q.limit,
        },
        send,
      );
      const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), 15_000);
      request.raw.on("close", () => {
        clearInterval(keepAlive);
        stop();
      });
    },
  );

  app.get(
    "/api/clusters/:id/live/history",
    {
      schema: {
        tags: ["live"],
        summary: "Per service and realserver: connections and rates of the last 15 minutes watched",
        params: idParams,
      },
    },
    async (request) => {
      const cluster = await app.db.cluster.findUnique({ where: { id: request.params.id } });
      if (!cluster) throw notFound("cluster");
      return live.history(cluster.id);
    },
  );
};

export default liveRoutes;
