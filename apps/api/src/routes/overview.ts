import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { OverviewService } from "../services/overview.ts";

const overviewHost = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(["director", "realserver"]),
  reachable: z.boolean().nullable().describe("null: not checked yet"),
  checkedAt: z.string().nullable(),
  error: z.string().nullable(),
});

const clusterOverview = z.object({
  id: z.string(),
  name: z.string(),
  director: z.object({ hostId: z.string(), name: z.string(), address: z.string() }).nullable(),
  counts: z.object({ services: z.number(), realservers: z.number() }),
  lastApply: z
    .object({
      id: z.string(),
      status: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      username: z.string().nullable(),
    })
    .nullable(),
  pendingChanges: z
    .boolean()
    .describe(
      "the desired state differs from what the last successful apply pushed, or steps are still pending on a realserver it could not reach",
    ),
  pendingHostSteps: z
    .number()
    .int()
    .describe(
      "steps the last successful apply left on realservers it could not reach (GET /api/clusters/:id/pending-host-steps)",
    ),
  hosts: z.array(overviewHost),
});

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
        response: { 200: z.array(clusterOverview) },
      },
    },
    async () => overview.list(),
  );
};

export default overviewRoutes;
