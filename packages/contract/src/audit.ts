// The audit log: who changed or applied what, when, with the before and after.
import { z } from "zod";
import { applyStatusSchema } from "./applies.ts";

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  entityId: z.string().max(64).optional().describe("entries about this one thing (any kind)"),
  clusterId: z
    .string()
    .max(64)
    .optional()
    .describe(
      "entries about this cluster: the cluster, its director, its applies, and its services and realservers",
    ),
  user: z.string().max(64).optional().describe("entries by this username"),
  action: z
    .string()
    .max(64)
    .regex(/^[a-z_]+(\.[a-z_]+)?$/, {
      message: 'must be an action such as "apply.start", or its first part such as "apply"',
    })
    .optional()
    .describe('an action ("apply.start"), or every action of a kind ("apply", "service")'),
});

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  username: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  apply: z
    .object({ id: z.string(), clusterId: z.string(), status: applyStatusSchema })
    .nullable()
    .describe(
      "on apply.start and apply.finish: the apply, with its outcome now (GET /api/applies/:id); null on other entries, or when the apply is gone with its cluster",
    ),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
