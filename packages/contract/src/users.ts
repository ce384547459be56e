// Panel users and signing in. Roles: admin (everything), operator (edit and apply), viewer (read).
import { z } from "zod";
import { passwordSchema } from "./common.ts";

export const ROLES = ["viewer", "operator", "admin"] as const;
export const roleSchema = z.enum(ROLES, { message: "must be admin, operator or viewer" });

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_.-]{1,31}$/, {
    message: "must be 2-32 lowercase letters, digits, _ . - starting with a letter",
  });

export const userSchema = z.object({ id: z.string(), username: z.string(), role: roleSchema });
export const userAccountSchema = userSchema.extend({ createdAt: z.string() });

export const userCreateSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
});
export const userPatchSchema = z.object({ role: roleSchema, password: passwordSchema }).partial();

export const authStatusSchema = z.object({
  setupRequired: z.boolean(),
  user: userSchema.nullable(),
});
export const signedInSchema = z.object({ user: userSchema });
export const setupSchema = z.object({ password: passwordSchema });
export const loginSchema = z.object({
  username: z.string().min(1, { message: "is required" }).max(64),
  password: z.string().min(1, { message: "is required" }).max(1024),
});
export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: passwordSchema,
});
export const okSchema = z.object({ ok: z.literal(true) });

export type Role = (typeof ROLES)[number];
export type User = z.infer<typeof userSchema>;
export type UserAccount = z.infer<typeof userAccountSchema>;
export type UserInput = z.input<typeof userCreateSchema>;
export type UserPatch = z.input<typeof userPatchSchema>;
export type SetupInput = z.input<typeof setupSchema>;
export type LoginInput = z.input<typeof loginSchema>;
export type PasswordChange = z.input<typeof passwordChangeSchema>;
export type AuthStatus = z.infer<typeof authStatusSchema>;
