// Importing what already runs on a director (issue 16): a preview of what would be imported and
// what is refused, a new cluster from a director, and chosen services into an existing cluster.
import { z } from "zod";
import {
  clusterCreateSchema,
  clusterSchema,
  directorInputSchema,
  engineSchema,
} from "./clusters.ts";
import { nameSchema } from "./common.ts";

const serviceLabelSchema = z
  .string()
  .min(1, { message: "is required" })
  .max(80, { message: "must be at most 80 characters" })
  .regex(/^\s*(tcp|udp|sctp|fwm)\s+\S+(\s+ipv6)?\s*$/i, {
    message: 'must name a service as the plan does, like "TCP 10.0.0.1:80" or "FWM 7"',
  });

export const importRefusalSchema = z.object({ service: z.string(), reason: z.string() });
export const importAdjustmentSchema = z.object({ service: z.string(), note: z.string() });

export const importPreviewRequestSchema = z.object({
  hostId: z.string().min(1, { message: "is required" }).max(64),
});

export const importPreviewSchema = z.object({
  /** keepalived when keepalived runs the table with a configuration of its own. */
  engine: engineSchema,
  services: z.array(
    z.object({
      service: z.string(),
      scheduler: z.string(),
      forwarding: z.string(),
      realservers: z.number(),
      /** The health check keepalived runs, in words ("HTTP GET /health every 5 s"); null: none. */
      healthCheck: z.string().nullable(),
    }),
  ),
  refused: z.array(importRefusalSchema),
  adjusted: z.array(importAdjustmentSchema),
  /** The operator's keepalived.conf: whether the import takes it over, and what stops it. */
  keepalivedConf: z.object({ takenOver: z.boolean(), blockers: z.array(z.string()) }).nullable(),
});

export const clusterImportRequestSchema = z.object({
  name: nameSchema,
  description: clusterCreateSchema.shape.description,
  director: directorInputSchema,
  /** Only these services; absent: every service that can be imported. */
  services: z.array(serviceLabelSchema).max(10_000).optional(),
});

export const serviceImportRequestSchema = z.object({
  services: z
    .array(serviceLabelSchema)
    .min(1, { message: "must name at least one service" })
    .max(10_000),
});

export const importResultSchema = z.object({
  cluster: clusterSchema,
  refused: z.array(importRefusalSchema),
  adjusted: z.array(importAdjustmentSchema),
});

export type ImportPreview = z.infer<typeof importPreviewSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
export type ClusterImportRequest = z.input<typeof clusterImportRequestSchema>;
