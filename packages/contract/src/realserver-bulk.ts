// POST /api/services/:id/realservers/bulk: many realservers added to one service at once (the
// pasted list of the web's "Add realservers"), all or none.
import { z } from "zod";
import { realServerCreateSchema, realServerSchema } from "./clusters.ts";

/** More than any service should hold: NAT tops out near five, DR near a few hundred. */
export const MAX_BULK_REALSERVERS = 1000;

export const realServerBulkCreateSchema = z.object({
  realservers: z
    .array(realServerCreateSchema, { message: "must be a list of realservers" })
    .min(1, { message: "must list at least one realserver" })
    .max(MAX_BULK_REALSERVERS, {
      message: `must list at most ${MAX_BULK_REALSERVERS} realservers`,
    }),
});

export const realServerBulkCreatedSchema = z.object({ realservers: z.array(realServerSchema) });

export type RealServerBulkCreate = z.input<typeof realServerBulkCreateSchema>;
export type RealServerBulkCreated = z.infer<typeof realServerBulkCreatedSchema>;
