// API tokens for scripts: shown once at creation, stored as a hash, revocable; optionally expiring
// and optionally read-only.
import { z } from "zod";
import { nameSchema } from "./common.ts";

/** "full": acts with its owner's role; "read": may only read (GET/HEAD), whatever the role. */
export const tokenScopeSchema = z.enum(["full", "read"]);

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the token, enough to recognise it in a script. */
  prefix: z.string(),
  username: z.string(),
  scope: tokenScopeSchema,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  expiresAt: z.string().nullable().describe("null: never expires"),
});

/** The create response: the only time the secret is sent. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });

/** The longest lifetime a token can be given in days (ten years). */
export const MAX_TOKEN_DAYS = 3650;

export const apiTokenCreateSchema = z
  .object({
    name: nameSchema,
    scope: tokenScopeSchema
      .optional()
      .describe('"full" (default): acts with your role; "read": may only read'),
    expiresAt: z.iso
      .datetime({ offset: true, message: "must be a date and time such as 2030-01-31T00:00:00Z" })
      .optional()
      .describe("when the token stops working (ISO 8601, in the future); omit for never"),
    expiresInDays: z
      .number({ message: `must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}` })
      .int({ message: `must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}` })
      .min(1, { message: `must be from 1 to ${MAX_TOKEN_DAYS} days` })
      .max(MAX_TOKEN_DAYS, { message: `must be from 1 to ${MAX_TOKEN_DAYS} days` })
      .optional()
      .describe("or: the token stops working this many days from now"),
  })
  .superRefine((input, ctx) => {
    if (input.expiresAt !== undefined && input.expiresInDays !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["expiresInDays"],
        message: "give expiresAt or expiresInDays, not both",
      });
    } else if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= Date.now()) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "must be in the future" });
    }
  });

export type TokenScope = z.infer<typeof tokenScopeSchema>;
export type ApiToken = z.infer<typeof apiTokenSchema>;
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
export type ApiTokenCreate = z.input<typeof apiTokenCreateSchema>;
