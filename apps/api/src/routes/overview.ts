import { clusterOverviewSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { OverviewService } from "../services/overview.ts";

const overviewRoutes: FastifyPluginAsyncZod<{ overview: OverviewService }> = async (
  app,
  { overview },
) => {
  app.get(
    "/api/overview",
    {
      schema: {
        tags: ["clusters"],
        summary:
          "Every cluster's size, last apply, pending changes and host reachability (checked in " +
          "the background at most every 15 s, and at once after the host is edited or its key trusted; " +
          "null until the check ends)",
        response: { 200: z.array(clusterOverviewSchema) },
      },
    },
    async () => overview.list(),
  );
};

export default overviewRoutes;
