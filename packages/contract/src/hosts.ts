// SSH hosts: directors, realservers and jump hosts. Secrets go in, never come out.
import {
  hostAddressSchema,
  hostKeyFingerprintSchema,
  portSchema,
  sshUsernameSchema,
} from "@lvs-panel/lvs";
import { z } from "zod";
import { nameSchema } from "./common.ts";

const privateKeySchema = z
  .string()
  .min(1, { message: "is required" })
  .max(16_384, { message: "is too long for an SSH private key" });

export const hostAuthSchema = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("key"),
      privateKey: privateKeySchema,
      passphrase: z.string().max(1024, { message: "is too long" }).optional(),
    }),
    z.object({
      type: z.literal("password"),
      password: z.string().min(1, { message: "is required" }).max(1024, { message: "is too long" }),
    }),
  ],
  { message: 'must be {type:"key", privateKey} or {type:"password", password}' },
);

const hostFields = {
  name: nameSchema,
  address: hostAddressSchema,
  port: portSchema,
  username: sshUsernameSchema,
  auth: hostAuthSchema,
  jumpHostId: z.string().max(64).nullable(),
};

export const hostCreateSchema = z.object({
  ...hostFields,
  port: hostFields.port.default(22),
  username: hostFields.username.default("root"),
  jumpHostId: hostFields.jumpHostId.optional(),
});
export const hostPatchSchema = z.object(hostFields).partial();

export const hostSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number(),
  username: z.string(),
  authType: z.enum(["key", "password"]),
  hasSecret: z.boolean(),
  hasPassphrase: z.boolean(),
  hostKeySha256: z.string().nullable(),
  jumpHostId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const hostKeyScanSchema = z.object({
  fingerprint: z.string(),
  keyType: z.string(),
  /** What is pinned now, so the UI can say "unchanged" or "CHANGED"; null if nothing is. */
  pinned: z.string().nullable(),
});

/** POST /api/hosts/:id/trust: the fingerprint the operator confirmed. */
export const hostKeyTrustSchema = z.object({ fingerprint: hostKeyFingerprintSchema });

export type HostAuth = z.infer<typeof hostAuthSchema>;
export type HostCreate = z.input<typeof hostCreateSchema>;
export type HostPatch = z.input<typeof hostPatchSchema>;
export type HostKeyTrust = z.input<typeof hostKeyTrustSchema>;
export type Host = z.infer<typeof hostSchema>;
export type AuthType = Host["authType"];
export type HostKeyScan = z.infer<typeof hostKeyScanSchema>;
