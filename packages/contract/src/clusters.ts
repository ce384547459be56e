// Clusters as the API returns them (director, services, realservers), and the bodies that edit
// them. Service and realserver fields are the domain's input schemas: a value fails here exactly
// as it fails in the web form and in validateCluster.
import {
  ENGINES,
  failureActionSchema,
  HA_LIMITS,
  healthCheckSchema,
  interfaceNameSchema,
  ipAddressSchema,
  realServerInputSchema,
  serviceInputSchema,
  sorryServerSchema,
} from "@lvs-panel/lvs";
import { z } from "zod";
import { issueSchema, nameSchema } from "./common.ts";

const descriptionSchema = z.string().max(1000, { message: "must be at most 1000 characters" });

/** Who owns the director's IPVS table. Changing it is planned and applied like any change. */
export const engineSchema = z.enum(ENGINES, {
  message: "must be ipvsadm (the panel pushes the table) or keepalived (health-checked)",
});

export const clusterCreateSchema = z.object({
  name: nameSchema,
  description: descriptionSchema.optional(),
  engine: engineSchema.optional(),
});
const whole = (min: number, max: number) =>
  z
    .number({ message: `must be a whole number from ${min} to ${max}` })
    .int({ message: `must be a whole number from ${min} to ${max}` })
    .min(min, { message: `must be a whole number from ${min} to ${max}` })
    .max(max, { message: `must be a whole number from ${min} to ${max}` });

const STRICT_MODE_MESSAGE =
  "is never set by the panel: vrrp_strict (and no_accept) make keepalived drop every packet to the VIPs, and IPVS never sees them on a director (keepalived.md 6.4)";

/** Director failover (keepalived's VRRP); null on a PATCH: back to one director without VRRP. */
export const haInputSchema = z
  .object({
    virtualRouterId: whole(HA_LIMITS.virtualRouterId.min, HA_LIMITS.virtualRouterId.max),
    advertIntervalSeconds: whole(
      HA_LIMITS.advertIntervalSeconds.min,
      HA_LIMITS.advertIntervalSeconds.max,
    ).default(1),
    unicast: z.boolean({ message: "must be true or false" }).default(false),
    preempt: z.boolean({ message: "must be true or false" }).default(true),
    floatingGateway: ipAddressSchema.nullable().optional(),
    /** IPVS connection sync between the directors (`lvs_sync_daemon`). */
    connectionSync: z.boolean({ message: "must be true or false" }).default(true),
    // Named so that asking for them gets the reason, not "unknown key".
    vrrpStrict: z.never({ message: STRICT_MODE_MESSAGE }).optional(),
    strictMode: z.never({ message: STRICT_MODE_MESSAGE }).optional(),
    noAccept: z.never({ message: STRICT_MODE_MESSAGE }).optional(),
  })
  .strict();

export const clusterPatchSchema = z
  .object({
    name: nameSchema,
    description: descriptionSchema,
    engine: engineSchema,
    ha: haInputSchema.nullable(),
  })
  .partial();

export const directorInputSchema = z.object({
  hostId: z.string().min(1, { message: "is required" }).max(64),
  dip: ipAddressSchema,
  interface: interfaceNameSchema,
  /** The outward interface for NAT VIPs on two-NIC directors; null: the same as `interface`. */
  vipInterface: interfaceNameSchema.nullable().optional(),
});

/** PUT /api/clusters/:id/directors: one director, or two for a VRRP pair (first: preferred master). */
export const directorsInputSchema = z
  .array(
    directorInputSchema.extend({
      priority: whole(HA_LIMITS.priority.min, HA_LIMITS.priority.max).optional(),
    }),
  )
  .min(1, { message: "must list one director, or two for a failover pair" })
  .max(2, { message: "must list one director, or two for a failover pair" });

/** POST /api/clusters/:id/switchover: make this director the master. */
export const switchoverInputSchema = z.object({
  hostId: z.string().min(1, { message: "is required" }).max(64),
});

export const serviceCreateSchema = serviceInputSchema;
export const servicePatchSchema = serviceInputSchema.partial();

const realServerBody = realServerInputSchema.extend({
  // The panel's own fields, not the kernel's: draining keeps the weight for undraining, and
  // hostId links the managed host behind the address (checked against the hosts table).
  draining: z.boolean({ message: "must be true or false" }).optional(),
  hostId: z.string().max(64).nullable().optional(),
});
export const realServerCreateSchema = realServerBody;
export const realServerPatchSchema = realServerBody.partial();

export const realServerSchema = z.object({
  id: z.string(),
  serviceId: z.string(),
  address: z.string(),
  port: z.number(),
  weight: z.number(),
  enabled: z.boolean(),
  /** Weight 0 on the director until undrained; `weight` keeps the configured value. */
  draining: z.boolean(),
  upperThreshold: z.number(),
  lowerThreshold: z.number(),
  /** The port the health check connects to instead of `port`; null: `port`. */
  checkPort: z.number().nullable(),
  hostId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const serviceSchema = z.object({
  id: z.string(),
  clusterId: z.string(),
  protocol: serviceInputSchema.shape.protocol,
  vip: z.string(),
  port: z.number(),
  /** A firewall-mark service (`ipvsadm -f`); null: protocol, VIP and port. */
  fwmark: z.number().nullable(),
  scheduler: z.string(),
  schedulerFlags: z.array(z.string()),
  persistence: z.number().nullable(),
  persistenceNetmask: z.string().nullable(),
  forwarding: serviceInputSchema.shape.forwarding,
  /** What keepalived checks (the default when none was set); unused on the ipvsadm engine. */
  healthCheck: healthCheckSchema,
  onFailure: failureActionSchema,
  sorryServer: sorryServerSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  realservers: z.array(realServerSchema),
});

export const vrrpStateSchema = z.object({
  /** As keepalived reports it; "STOPPED": keepalived not running; "UNKNOWN": not read. */
  state: z.enum(["MASTER", "BACKUP", "FAULT", "INIT", "STOPPED", "UNKNOWN"]),
  /** When it entered that state (ISO), as keepalived says; null: not known. */
  since: z.string().nullable(),
  priority: z.number().nullable(),
  effectivePriority: z.number().nullable(),
  /** When the panel read it (ISO). */
  readAt: z.string(),
  error: z.string().optional(),
});

export const directorSchema = z.object({
  hostId: z.string(),
  dip: z.string(),
  interface: z.string(),
  vipInterface: z.string().nullable(),
  /** VRRP priority (used when the cluster has ha). */
  priority: z.number(),
  host: z.object({ id: z.string(), name: z.string(), address: z.string() }),
  /** The latest VRRP state read from this director (clusters with ha); null: not read yet. */
  vrrp: vrrpStateSchema.nullable().optional(),
});

export const haSchema = z.object({
  virtualRouterId: z.number(),
  advertIntervalSeconds: z.number(),
  unicast: z.boolean(),
  preempt: z.boolean(),
  floatingGateway: z.string().nullable(),
  connectionSync: z.boolean(),
});

export const clusterSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  engine: engineSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The first of `directors` (kept for scripts written for one director). */
  director: directorSchema.nullable(),
  /** One director, or two for a VRRP pair; the first is the preferred master. */
  directors: z.array(directorSchema),
  ha: haSchema.nullable(),
  services: z.array(serviceSchema),
});

export const validationReportSchema = z.object({
  errors: z.array(issueSchema),
  warnings: z.array(issueSchema),
});

export type Engine = z.infer<typeof engineSchema>;
export type RealServer = z.infer<typeof realServerSchema>;
export type Service = z.infer<typeof serviceSchema>;
export type Director = z.infer<typeof directorSchema>;
export type Cluster = z.infer<typeof clusterSchema>;
export type ClusterCreate = z.input<typeof clusterCreateSchema>;
export type ClusterPatch = z.input<typeof clusterPatchSchema>;
export type DirectorInput = z.input<typeof directorInputSchema>;
export type DirectorsInput = z.input<typeof directorsInputSchema>;
export type HaInput = z.input<typeof haInputSchema>;
export type Ha = z.infer<typeof haSchema>;
export type VrrpState = z.infer<typeof vrrpStateSchema>;
export type ServiceCreate = z.input<typeof serviceCreateSchema>;
export type ServicePatch = z.input<typeof servicePatchSchema>;
export type RealServerCreate = z.input<typeof realServerCreateSchema>;
export type RealServerPatch = z.input<typeof realServerPatchSchema>;
export type ValidationReport = z.infer<typeof validationReportSchema>;
