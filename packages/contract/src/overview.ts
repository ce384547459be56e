// GET /api/overview: every cluster at a glance, for the landing page; GET /api/health.
import { z } from "zod";
import { applyStatusSchema } from "./applies.ts";
import { engineSchema } from "./clusters.ts";

export const overviewHostSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(["director", "realserver"]),
  reachable: z.boolean().nullable().describe("null: not checked yet"),
  checkedAt: z.string().nullable(),
  error: z.string().nullable(),
});

export const clusterOverviewSchema = z.object({
  id: z.string(),
  name: z.string(),
  engine: engineSchema,
  health: z
    .object({ at: z.string(), up: z.number(), down: z.number(), unknown: z.number() })
    .nullable()
    .describe(
      "realservers by keepalived's verdict, as last read (live view or GET /api/clusters/:id/health); null: not read since the panel started",
    ),
  drift: z
    .object({
      status: z.enum(["drift", "none", "unknown"]),
      summary: z.string(),
      at: z.string().nullable(),
    })
    .nullable()
    .describe(
      "the last drift check of the director (GET /api/clusters/:id/drift has the changes); null: not checked since the panel started",
    ),
  director: z.object({ hostId: z.string(), name: z.string(), address: z.string() }).nullable(),
  counts: z.object({ services: z.number(), realservers: z.number() }),
  lastApply: z
    .object({
      id: z.string(),
      status: applyStatusSchema,
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
  hosts: z.array(overviewHostSchema),
});

export const healthSchema = z.object({ status: z.literal("ok"), database: z.literal("ok") });

export type OverviewHost = z.infer<typeof overviewHostSchema>;
export type ClusterOverview = z.infer<typeof clusterOverviewSchema>;
