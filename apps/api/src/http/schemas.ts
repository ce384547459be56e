// Request schemas shared by several routes. Field rules come from @lvs-panel/lvs so the web forms
// and the API reject the same values with the same words.
import { z } from "zod";

export const idParams = z.object({ id: z.string().min(1).max(64) });

/** Display names: no control characters, so logs and the UI stay readable. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, { message: "is required" })
  .max(64, { message: "must be at most 64 characters" })
  .refine((v) => !/\p{Cc}/u.test(v), { message: "must not contain control characters" });

export const okSchema = z.object({ ok: z.literal(true) });

/** Passwords of panel users: long enough to resist guessing, short enough to hash cheaply. */
export const passwordSchema = z
  .string()
  .min(8, { message: "must be at least 8 characters" })
  .max(1024, { message: "must be at most 1024 characters" });
