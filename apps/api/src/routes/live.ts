import { historyPointSchema, liveQuerySchema, liveTickSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { openEventStream } from "../http/event-stream.ts";
import { idParams } from "../http/schemas.ts";
import type { LiveEvent, LiveHub } from "../services/live/live-hub.ts";

const liveRoutes: FastifyPluginAsyncZod<{ live: LiveHub }> = async (app, { live }) => {
  app.get(
    "/api/clusters/:id/live",
    {
      schema: {
        tags: ["live"],
        summary:
          "Server-sent events, one `tick` per interval: the director's connection table filtered and limited on the server, counts by state/service/realserver, --stats and --rate figures",
        params: idParams,
        querystring: liveQuerySchema,
      },
      config: { eventStream: liveTickSchema },
    },
    async (request, reply) => {
      await live.requireCluster(request.params.id); // 404s before the stream opens
      const q = request.query;
      const raw = openEventStream(reply);
      const send = (e: LiveEvent) => {
        const data = e.type === "tick" ? e.tick : { message: e.message, at: e.at };
        raw.write(`event: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const stop = live.watch(
        request.params.id,
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
        response: { 200: z.array(historyPointSchema) },
      },
    },
    async (request) => live.history(request.params.id),
  );
};

export default liveRoutes;
