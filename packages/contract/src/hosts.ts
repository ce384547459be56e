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

/**
 * A new host. `credentialsFromHostId` copies another host's stored login (user name, key or
 * password, passphrase, and jump host) on the server, so a key is pasted once for a whole
 * cluster; what the request gives itself (a username, a jumpHostId) wins over the copy.
 */
export const hostCreateSchema = z
  .object({
    ...hostFields,
    port: hostFields.port.default(22),
    // Unset: "root", or the user of the host whose credentials are copied.
    username: hostFields.username.optional(),
    auth: hostFields.auth.optional(),
    jumpHostId: hostFields.jumpHostId.optional(),
    credentialsFromHostId: z
      .string()
      .min(1, { message: "is required" })
      .max(64)
      .optional()
      .describe("copy the stored credentials and jump host of this host"),
  })
  .superRefine((host, ctx) => {
    if (host.auth === undefined && host.credentialsFromHostId === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["auth"],
        message: "is required (or credentialsFromHostId, to reuse another host's)",
      });
    }
    if (host.auth !== undefined && host.credentialsFromHostId !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["credentialsFromHostId"],
        message: "give either auth or credentialsFromHostId, not both",
      });
    }
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

/** DELETE /api/hosts/:id?force=true also unlinks the realservers that name the host. */
export const hostDeleteQuerySchema = z.object({
  force: z
    .enum(["true", "false"], { message: "must be true or false" })
    .optional()
    .describe("true: unlink the realservers that name this host, then delete it"),
});

/** What refers to a host: a delete names these, and refuses while a director or jump uses it. */
export const hostLinksSchema = z.object({
  directors: z.array(z.object({ clusterId: z.string(), clusterName: z.string() })),
  realservers: z.array(
    z.object({
      id: z.string(),
      clusterId: z.string(),
      clusterName: z.string(),
      serviceId: z.string(),
      address: z.string(),
      port: z.number(),
    }),
  ),
  jumpedHosts: z.array(z.object({ id: z.string(), name: z.string() })),
});

/** POST /api/hosts/:id/test: one check of the login and of the tools the host's role needs. */
export const hostLoginTestSchema = z.object({
  /** Every required check passed. */
  ok: z.boolean(),
  /** The user the panel logged in as; null when it could not log in. */
  user: z.string().nullable(),
  /** What the host was checked as, in words ("director of cluster shop (keepalived)"). */
  checkedAs: z.string(),
  checks: z.array(
    z.object({
      /** `login`, `sudo`, `tool:<name>` or `script`. */
      id: z.string(),
      ok: z.boolean(),
      /** false: reported, but not needed for what the host is used as now. */
      required: z.boolean(),
      message: z.string(),
    }),
  ),
  testedAt: z.string(),
});

/** GET /api/hosts/:id/interfaces: `ip -o addr show` on the host, per interface. */
export const hostInterfacesSchema = z.array(
  z.object({
    name: z.string(),
    addresses: z.array(
      z.object({
        address: z.string(),
        prefix: z.number(),
        family: z.union([z.literal(4), z.literal(6)]),
      }),
    ),
  }),
);

/** POST /api/hosts/:id/trust: the fingerprint the operator confirmed. */
export const hostKeyTrustSchema = z.object({ fingerprint: hostKeyFingerprintSchema });

export type HostAuth = z.infer<typeof hostAuthSchema>;
export type HostCreate = z.input<typeof hostCreateSchema>;
export type HostPatch = z.input<typeof hostPatchSchema>;
export type HostKeyTrust = z.input<typeof hostKeyTrustSchema>;
export type Host = z.infer<typeof hostSchema>;
export type AuthType = Host["authType"];
export type HostKeyScan = z.infer<typeof hostKeyScanSchema>;
export type HostLinks = z.infer<typeof hostLinksSchema>;
export type HostLoginTest = z.infer<typeof hostLoginTestSchema>;
export type HostLoginCheck = HostLoginTest["checks"][number];
export type HostInterfaces = z.infer<typeof hostInterfacesSchema>;
