// Shapes every part of the API shares.
import { z } from "zod";

/** A validation finding: errors block, warnings inform. */
export const issueSchema = z.object({ code: z.string(), field: z.string(), message: z.string() });

/** Every error answer: `fields` names the input at fault, in plain words. */
export const errorBodySchema = z.object({
  statusCode: z.number().int(),
  code: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});

export const idParamsSchema = z.object({ id: z.string().min(1).max(64) });

/** Display names: no control characters, so logs and the UI stay readable. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, { message: "is required" })
  .max(64, { message: "must be at most 64 characters" })
  .refine((v) => !/\p{Cc}/u.test(v), { message: "must not contain control characters" });

export type Issue = z.infer<typeof issueSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A 204 answer: no body. */
export const noContentSchema = z.null().describe("No content");

/** Passwords of panel users: long enough to resist guessing, short enough to hash cheaply. */
export const passwordSchema = z
  .string()
  .min(8, { message: "must be at least 8 characters" })
  .max(1024, { message: "must be at most 1024 characters" });
