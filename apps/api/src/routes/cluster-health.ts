import { clusterHealthSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { idParams } from "../http/schemas.ts";
import type { ClusterHealthService } from "../services/health/cluster-health.ts";

const clusterHealthRoutes: FastifyPluginAsyncZod<{ health: ClusterHealthService }> = async (
  app,
  { health },
) => {
  app.get(
    "/api/clusters/:id/health",
    {
      schema: {
        tags: ["health"],
        summary:
          "keepalived's view, read from the director now: whether keepalived runs, and each realserver up (passing its checks), down (quiesced or removed by keepalived) or unknown, since when",
        params: idParams,
        response: { 200: clusterHealthSchema },
      },
    },
    async (request) => health.read(request.params.id),
  );
};

export default clusterHealthRoutes;
