// Clusters as the API returns them (director, services, realservers), and the bodies that edit
// them. Service and realserver fields are the domain's input schemas: a value fails here exactly
// as it fails in the web form and in validateCluster.
import {
  ENGINES,
  failureActionSchema,
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
export const clusterPatchSchema = z
  .object({ name: nameSchema, description: descriptionSchema, engine: engineSchema })
  .partial();

export const directorInputSchema = z.object({
  hostId: z.string().min(1, { message: "is required" }).max(64),
  dip: ipAddressSchema,
  interface: interfaceNameSchema,
  /** The outward interface for NAT VIPs on two-NIC directors; null: the same as `interface`. */
  vipInterface: interfaceNameSchema.nullable().optional(),
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

export const directorSchema = z.object({
  hostId: z.string(),
  dip: z.string(),
  interface: z.string(),
  vipInterface: z.string().nullable(),
  host: z.object({ id: z.string(), name: z.string(), address: z.string() }),
});

export const clusterSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  engine: engineSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  director: directorSchema.nullable(),
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
export type ServiceCreate = z.input<typeof serviceCreateSchema>;
export type ServicePatch = z.input<typeof servicePatchSchema>;
export type RealServerCreate = z.input<typeof realServerCreateSchema>;
export type RealServerPatch = z.input<typeof realServerPatchSchema>;
export type ValidationReport = z.infer<typeof validationReportSchema>;
