// Applies: starting one, following its events, and reading what happened per host and step.
import { z } from "zod";
import { hostKeySchema, planPhaseSchema, planSummarySchema } from "./plan.ts";

export const applyStatusSchema = z.enum([
  "running",
  "succeeded",
  "failed",
  "rolled_back",
  "interrupted",
]);
export const applyStageSchema = z.enum([
  "preflight",
  "snapshot",
  "apply",
  "verify",
  "persist",
  "rollback",
  "done",
]);

export const applyEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  stage: applyStageSchema,
  status: z.enum(["running", "ok", "failed", "info"]),
  host: hostKeySchema.optional(),
  hostName: z.string().optional(),
  phase: z.string().optional(),
  stepIds: z.array(z.string()).optional(),
  command: z.string().optional(),
  message: z.string(),
  output: z.string().optional(),
  /**
   * On the event that says why an apply failed (`stage` is the stage that failed) and on the
   * last event ("done"): how the apply ended. Read this, not the message.
   */
  outcome: applyStatusSchema.exclude(["running"]).optional(),
});

export const applyStepSchema = z.object({
  id: z.string(),
  phase: planPhaseSchema,
  description: z.string(),
  command: z.string(),
  /** pending: not reached yet; not-run: the apply ended before it. */
  status: z.enum(["pending", "running", "ok", "failed", "not-run"]),
  output: z.string(),
});

export const applySchema = z.object({
  id: z.string(),
  clusterId: z.string(),
  status: applyStatusSchema,
  user: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  summary: planSummarySchema,
  hosts: z.array(
    z.object({
      key: hostKeySchema,
      hostName: z.string(),
      role: z.enum(["director", "realserver"]),
      steps: z.array(applyStepSchema),
    }),
  ),
  events: z.array(applyEventSchema),
});

export const applyRequestSchema = z
  .object({
    planHash: z.string().max(64).optional(),
    drain: z.boolean({ message: "must be true or false" }).optional(),
    /** Also remove the director's services that no cluster of the panel owns (audited). */
    removeForeign: z.boolean({ message: "must be true or false" }).optional(),
  })
  .optional();

export const applyStartedSchema = z.object({ applyId: z.string() });

export const pendingHostStepsSchema = z.object({
  applyId: z.string().nullable(),
  hosts: z.array(
    z.object({
      address: z.string(),
      hostId: z.string(),
      hostName: z.string(),
      reason: z.string(),
      since: z.string(),
      steps: z.array(z.object({ phase: z.string(), description: z.string(), command: z.string() })),
    }),
  ),
});

export type ApplyStatus = z.infer<typeof applyStatusSchema>;
export type ApplyStage = z.infer<typeof applyStageSchema>;
export type ApplyEvent = z.infer<typeof applyEventSchema>;
export type ApplyStep = z.infer<typeof applyStepSchema>;
export type ApplyStepStatus = ApplyStep["status"];
export type ApplyHost = Apply["hosts"][number];
export type Apply = z.infer<typeof applySchema>;
export type PendingHostSteps = z.infer<typeof pendingHostStepsSchema>;

/** GET /api/clusters/:id/pending-changes: the desired state against the last successful apply. */
export const pendingChangesSchema = z.object({
  /** Something is not on the hosts yet (a change, or steps pending on an unreachable host). */
  pending: z.boolean(),
  /** Whether the cluster was ever applied successfully. */
  applied: z.boolean(),
  /** Each change in words: "Drain 10.10.0.11:80 in TCP 10.10.0.200:80". */
  changes: z.array(z.string()),
  /** Realservers whose weight on the director is not yet the one shown (added, or changed). */
  realservers: z.array(z.object({ id: z.string(), change: z.enum(["added", "weight"]) })),
  pendingHostSteps: z.number(),
});
export type PendingChanges = z.infer<typeof pendingChangesSchema>;
