// POST /api/clusters/:id/plan: what an apply would run, per host, byte for byte.
import { PLAN_PHASES } from "@lvs-panel/lvs";
import { z } from "zod";
import { issueSchema } from "./common.ts";

export const planPhaseSchema = z.enum(PLAN_PHASES);

/** "director", "director2" (a pair's second director) or "rs:<address>". */
export const hostKeySchema = z.union([
  z.literal("director"),
  z.literal("director2"),
  z.templateLiteral([z.literal("rs:"), z.string()]),
]);

export const planStepSchema = z.object({
  id: z.string(),
  phase: planPhaseSchema,
  description: z.string(),
  /** The shell text that runs this step; "" when it runs in the same batch as the step before. */
  command: z.string(),
});

export const planHostSchema = z.object({
  key: hostKeySchema,
  role: z.enum(["director", "realserver"]),
  address: z.string().nullable(),
  hostId: z.string(),
  hostName: z.string(),
  steps: z.array(planStepSchema),
  /** One script per round trip: a phase, or consecutive phases of this host alone. */
  scripts: z.array(
    z.object({ phase: planPhaseSchema, phases: z.array(planPhaseSchema), script: z.string() }),
  ),
});

export const unreachableStepSchema = z.object({
  id: z.string(),
  phase: z.string(),
  description: z.string(),
  command: z.string(),
});

export const unreachableHostSchema = z.object({
  key: hostKeySchema,
  hostId: z.string(),
  hostName: z.string(),
  address: z.string(),
  /** What went wrong reaching it, in the SSH layer's words, and its code. */
  reason: z.string(),
  code: z.string(),
  /** Due on it, but they can wait: they run on the next apply that reaches it. */
  pending: z.array(unreachableStepSchema),
  /** This change needs them on it: while there are any, the apply is refused. */
  needed: z.array(unreachableStepSchema),
  pendingSince: z.string().nullable(),
});

export const planSummarySchema = z.object({
  /** Services on the director this plan leaves alone, with the cluster owning each (null: none). */
  notManaged: z.array(z.object({ service: z.string(), owner: z.string().nullable() })).optional(),
  /** Foreign services this plan removes because the operator takes the director over. */
  foreignRemoved: z.array(z.string()).optional(),
  servicesAdded: z.array(z.string()),
  servicesChanged: z.array(z.string()),
  servicesRemoved: z.array(z.string()),
  forwardingSwitches: z.array(
    z.object({ service: z.string(), realserver: z.string(), from: z.string(), to: z.string() }),
  ),
  /** One line per fact, for the confirmation dialog. */
  lines: z.array(z.string()),
  /** Each change to the cluster's services in words: "Drain 10.10.0.11 in TCP 10.10.0.200:80". */
  changes: z.array(z.string()).optional(),
  /** What the plan (and its apply) is named after: "Switch TCP 10.10.0.200:80 from DR to NAT". */
  title: z.string().optional(),
});

export const planViewSchema = z.object({
  clusterId: z.string(),
  /** Changes when anything that would run changes; apply can insist on the previewed plan. */
  hash: z.string(),
  empty: z.boolean(),
  summary: planSummarySchema,
  warnings: z.array(issueSchema),
  errors: z.array(issueSchema),
  hosts: z.array(planHostSchema),
  /** Problems reading the hosts' current state (lines that did not parse). */
  readErrors: z.array(z.string()),
  /** Realservers that could not be reached: the plan has no step on them. */
  unreachable: z.array(unreachableHostSchema),
});

export const planRequestSchema = z
  .object({
    drain: z.boolean({ message: "must be true or false" }).optional(),
    /** Also plan away the director's services that no cluster of the panel owns. */
    removeForeign: z.boolean({ message: "must be true or false" }).optional(),
  })
  .optional();

export type PlanPhase = z.infer<typeof planPhaseSchema>;
export type PlanStepView = z.infer<typeof planStepSchema>;
export type PlanHostView = z.infer<typeof planHostSchema>;
export type UnreachableStepView = z.infer<typeof unreachableStepSchema>;
export type UnreachableHostView = z.infer<typeof unreachableHostSchema>;
export type PlanSummaryView = z.infer<typeof planSummarySchema>;
export type PlanView = z.infer<typeof planViewSchema>;
