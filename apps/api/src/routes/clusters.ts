// Bodies are the domain's input schemas, so a field fails here exactly as it fails in the web
// form; the service then runs the domain's rules between fields (validateServiceInput).

import { noContentSchema } from "@lvs-panel/contract";
import {
  interfaceNameSchema,
  ipAddressSchema,
  realServerInputSchema,
  serviceInputSchema,
} from "@lvs-panel/lvs";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams, nameSchema } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { ClusterService } from "../services/clusters.ts";

const descriptionSchema = z.string().max(1000, { message: "must be at most 1000 characters" });

export const serviceCreateBody = serviceInputSchema;
export const servicePatchBody = serviceInputSchema.partial();

const realServerBody = realServerInputSchema.extend({
  // The panel's own fields, not the kernel's: draining keeps the weight for undraining, and
  // hostId links the managed host behind the address (checked against the hosts table).
  draining: z.boolean({ message: "must be true or false" }).optional(),
  hostId: z.string().max(64).nullable().optional(),
});
export const realServerCreateBody = realServerBody;
export const realServerPatchBody = realServerBody.partial();

const realServerResponse = z.object({
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
  hostId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const serviceResponse = z.object({
  id: z.string(),
  clusterId: z.string(),
  protocol: z.string(),
  vip: z.string(),
  port: z.number(),
  scheduler: z.string(),
  schedulerFlags: z.array(z.string()),
  persistence: z.number().nullable(),
  persistenceNetmask: z.string().nullable(),
  forwarding: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  realservers: z.array(realServerResponse),
});
const clusterResponse = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  director: z
    .object({
      hostId: z.string(),
      dip: z.string(),
      interface: z.string(),
      vipInterface: z.string().nullable(),
      host: z.object({ id: z.string(), name: z.string(), address: z.string() }),
    })
    .nullable(),
  services: z.array(serviceResponse),
});
const issueSchema = z.object({ code: z.string(), field: z.string(), message: z.string() });

const clusterRoutes: FastifyPluginAsyncZod<{ clusters: ClusterService }> = async (
  app,
  { clusters },
) => {
  app.get(
    "/api/clusters",
    {
      config: { readCache: true },
      schema: {
        tags: ["clusters"],
        summary: "List clusters with their director, services and realservers",
        response: { 200: z.array(clusterResponse) },
      },
    },
    async () => clusters.list(),
  );

  app.post(
    "/api/clusters",
    {
      schema: {
        tags: ["clusters"],
        summary: "Create a cluster",
        body: z.object({ name: nameSchema, description: descriptionSchema.optional() }),
        response: { 201: clusterResponse },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await clusters.create(currentUser(request), request.body)),
  );

  app.get(
    "/api/clusters/:id",
    {
      config: { readCache: true },
      schema: {
        tags: ["clusters"],
        summary: "One cluster with its director, services and realservers",
        params: idParams,
        response: { 200: clusterResponse },
      },
    },
    async (request) => clusters.get(request.params.id),
  );

  app.patch(
    "/api/clusters/:id",
    {
      schema: {
        tags: ["clusters"],
        summary: "Rename or describe a cluster",
        params: idParams,
        body: z.object({ name: nameSchema, description: descriptionSchema }).partial(),
        response: { 200: clusterResponse },
      },
    },
    async (request) => clusters.update(currentUser(request), request.params.id, request.body),
  );

  app.delete(
    "/api/clusters/:id",
    {
      schema: {
        tags: ["clusters"],
        summary: "Delete a cluster and its services from the panel (hosts are not touched)",
        params: idParams,
        response: { 204: noContentSchema },
      },
    },
    async (request, reply) => {
      await clusters.remove(currentUser(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/clusters/:id/validation",
    {
      schema: {
        tags: ["clusters"],
        summary: "Errors and warnings of the cluster's desired state (DR/NAT rules)",
        params: idParams,
        response: {
          200: z.object({ errors: z.array(issueSchema), warnings: z.array(issueSchema) }),
        },
      },
    },
    async (request) => clusters.validation(request.params.id),
  );

  app.put(
    "/api/clusters/:id/director",
    {
      schema: {
        tags: ["clusters"],
        summary:
          "Set the cluster's director: its host, DIP, the interface on the realservers' network, " +
          "and optionally vipInterface, the outward interface for NAT VIPs (two-NIC directors)",
        params: idParams,
        body: z.object({
          hostId: z.string().min(1, { message: "is required" }).max(64),
          dip: ipAddressSchema,
          interface: interfaceNameSchema,
          vipInterface: interfaceNameSchema.nullable().optional(),
        }),
        response: { 200: clusterResponse },
      },
    },
    async (request) => clusters.setDirector(currentUser(request), request.params.id, request.body),
  );

  app.post(
    "/api/clusters/:id/services",
    {
      schema: {
        tags: ["services"],
        summary: "Add a virtual service (protocol + VIP + port) to a cluster",
        params: idParams,
        body: serviceCreateBody,
        response: { 201: serviceResponse },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await clusters.createService(currentUser(request), request.params.id, request.body)),
  );

  app.patch(
    "/api/services/:id",
    {
      schema: {
        tags: ["services"],
        summary: "Change a virtual service (e.g. flip forwarding between nat and dr)",
        params: idParams,
        body: servicePatchBody,
        response: { 200: serviceResponse },
      },
    },
    async (request) =>
      clusters.updateService(currentUser(request), request.params.id, request.body),
  );

  app.delete(
    "/api/services/:id",
    {
      schema: {
        tags: ["services"],
        summary: "Delete a virtual service",
        params: idParams,
        response: { 204: noContentSchema },
      },
    },
    async (request, reply) => {
      await clusters.removeService(currentUser(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/services/:id/realservers",
    {
      schema: {
        tags: ["realservers"],
        summary: "Add a realserver to a virtual service",
        params: idParams,
        body: realServerCreateBody,
        response: { 201: realServerResponse },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await clusters.createRealServer(currentUser(request), request.params.id, request.body),
        ),
  );

  app.patch(
    "/api/realservers/:id",
    {
      schema: {
        tags: ["realservers"],
        summary: "Change a realserver (weight, enabled, draining, thresholds, host)",
        params: idParams,
        body: realServerPatchBody,
        response: { 200: realServerResponse },
      },
    },
    async (request) =>
      clusters.updateRealServer(currentUser(request), request.params.id, request.body),
  );

  app.delete(
    "/api/realservers/:id",
    {
      schema: {
        tags: ["realservers"],
        summary: "Remove a realserver",
        params: idParams,
        response: { 204: noContentSchema },
      },
    },
    async (request, reply) => {
      await clusters.removeRealServer(currentUser(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default clusterRoutes;
