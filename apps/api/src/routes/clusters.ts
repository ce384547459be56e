// Bodies are the domain's input schemas (through the contract), so a field fails here exactly as
// it fails in the web form; the service then runs the domain's rules between fields.
import {
  type Cluster,
  clusterCreateSchema,
  clusterPatchSchema,
  clusterSchema,
  type DirectorHealth,
  directorInputSchema,
  noContentSchema,
  realServerCreateSchema,
  realServerPatchSchema,
  realServerSchema,
  serviceCreateSchema,
  servicePatchSchema,
  serviceSchema,
  validationReportSchema,
} from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { ClusterService } from "../services/clusters.ts";

const clusterRoutes: FastifyPluginAsyncZod<{
  clusters: ClusterService;
  /** The directors' latest health (VRRP state) of a cluster, if read. */
  vrrpOf?: (clusterId: string) => DirectorHealth[] | undefined;
}> = async (app, { clusters, vrrpOf }) => {
  const withVrrp = <C extends Cluster>(cluster: C): C => {
    const known = vrrpOf?.(cluster.id);
    if (!known) return cluster;
    const directors = cluster.directors.map((d) => ({
      ...d,
      vrrp: known.find((k) => k.hostId === d.hostId)?.vrrp ?? null,
    }));
    return { ...cluster, directors, director: directors[0] ?? null };
  };

  app.get(
    "/api/clusters",
    {
      config: { readCache: true },
      schema: {
        tags: ["clusters"],
        summary: "List clusters with their director, services and realservers",
        response: { 200: z.array(clusterSchema) },
      },
    },
    async () => (await clusters.list()).map(withVrrp),
  );

  app.post(
    "/api/clusters",
    {
      schema: {
        tags: ["clusters"],
        summary: "Create a cluster",
        body: clusterCreateSchema,
        response: { 201: clusterSchema },
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
        response: { 200: clusterSchema },
      },
    },
    async (request) => withVrrp(await clusters.get(request.params.id)),
  );

  app.patch(
    "/api/clusters/:id",
    {
      schema: {
        tags: ["clusters"],
        summary: "Rename or describe a cluster",
        params: idParams,
        body: clusterPatchSchema,
        response: { 200: clusterSchema },
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
          200: validationReportSchema,
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
        body: directorInputSchema,
        response: { 200: clusterSchema },
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
        body: serviceCreateSchema,
        response: { 201: serviceSchema },
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
        body: servicePatchSchema,
        response: { 200: serviceSchema },
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
        body: realServerCreateSchema,
        response: { 201: realServerSchema },
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
        body: realServerPatchSchema,
        response: { 200: realServerSchema },
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
