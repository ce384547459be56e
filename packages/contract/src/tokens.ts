// API tokens for scripts: shown once at creation, stored as a hash, revocable.
import { z } from "zod";
import { nameSchema } from "./common.ts";

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the token, enough to recognise it in a script. */
  prefix: z.string(),
  username: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** The create response: the only time the secret is sent. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
export const apiTokenCreateSchema = z.object({ name: nameSchema });

export type ApiToken = z.infer<typeof apiTokenSchema>;
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
export type ApiTokenCreate = z.input<typeof apiTokenCreateSchema>;
