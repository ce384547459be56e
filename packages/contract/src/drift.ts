// Drift (issue 16): what changed on a cluster's director outside the panel, compared with what the
// panel last put there, imported or adopted.
import { z } from "zod";
import { clusterSchema } from "./clusters.ts";

export const driftChangeSchema = z.object({
  service: z.string(),
  kind: z.enum(["service", "realserver", "weight", "setting"]),
  /** In plain words: "realserver 10.10.0.13:80 was added". */
  change: z.string(),
});

export const driftSchema = z.object({
  clusterId: z.string(),
  /** drift: changed outside the panel; none: as the panel left it; unknown: could not tell. */
  status: z.enum(["drift", "none", "unknown"]),
  reason: z.string().nullable(),
  /** When the director was read (ISO time); null when it was not. */
  at: z.string().nullable(),
  /** "changed outside the panel: 2 realservers, 1 weight"; empty without drift. */
  summary: z.string(),
  counts: z.object({
    service: z.number(),
    realserver: z.number(),
    weight: z.number(),
    setting: z.number(),
  }),
  changes: z.array(driftChangeSchema),
});

export const driftAdoptedSchema = z.object({
  cluster: clusterSchema,
  adopted: z.array(driftChangeSchema),
});

export type Drift = z.infer<typeof driftSchema>;
export type DriftChangeView = z.infer<typeof driftChangeSchema>;
