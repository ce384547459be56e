// What keepalived sees: is each director's keepalived running, is each realserver passing its
// checks. Answered by `GET /api/clusters/:id/health`, and carried by every live tick.
import { z } from "zod";
import { engineSchema, vrrpStateSchema } from "./clusters.ts";

export const directorHealthSchema = z.object({
  hostId: z.string(),
  /**
   * running: keepalived runs on the director; stopped: it does not (or the cluster is on the
   * ipvsadm engine); unreachable: the director could not be read.
   */
  state: z.enum(["running", "stopped", "unreachable"]),
  /** When the panel saw the state begin; null when it was already so at the first look. */
  since: z.string().nullable(),
  /** keepalived's process id while running. */
  pid: z.number().nullable(),
  lastError: z.string().optional(),
  /** Clusters with ha: the director's VRRP state (MASTER carries the VIPs), since, priority. */
  vrrp: vrrpStateSchema.optional(),
});

export const realserverHealthSchema = z.object({
  id: z.string(),
  serviceId: z.string(),
  address: z.string(),
  port: z.number(),
  /** up: passing its checks (in the table at its weight); down: failed them; unknown: see lastError. */
  state: z.enum(["up", "down", "unknown"]),
  since: z.string().nullable(),
  /** Why the state is down or unknown, in plain words. */
  lastError: z.string().optional(),
  /** The weight the director holds now (0 while quiesced); null when not in the table. */
  liveWeight: z.number().nullable(),
});

export const clusterHealthSchema = z.object({
  engine: engineSchema,
  at: z.string(),
  directors: z.array(directorHealthSchema),
  realservers: z.array(realserverHealthSchema),
});

export type DirectorHealth = z.infer<typeof directorHealthSchema>;
export type RealserverHealth = z.infer<typeof realserverHealthSchema>;
export type ClusterHealth = z.infer<typeof clusterHealthSchema>;
