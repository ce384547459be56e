import {
  hostCreateSchema,
  hostDeleteQuerySchema,
  hostLinksSchema,
  hostPatchSchema,
  hostSchema,
  noContentSchema,
} from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { HostService } from "../services/host-service.ts";

const hostRoutes: FastifyPluginAsyncZod<{ hosts: HostService }> = async (app, { hosts }) => {
  const tags = ["hosts"];

  app.get(
    "/api/hosts",
    {
      config: { readCache: true },
      schema: { tags, summary: "List SSH hosts", response: { 200: z.array(hostSchema) } },
    },
    async () => hosts.list(),
  );

  app.post(
    "/api/hosts",
    {
      schema: {
        tags,
        summary: "Add an SSH host (secrets are sealed and never returned)",
        body: hostCreateSchema,
        response: { 201: hostSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await hosts.create(currentUser(request), request.body)),
  );

  app.get(
    "/api/hosts/:id",
    {
      config: { readCache: true },
      schema: { tags, summary: "One host", params: idParams, response: { 200: hostSchema } },
    },
    async (request) => hosts.get(request.params.id),
  );

  app.patch(
    "/api/hosts/:id",
    {
      schema: {
        tags,
        summary: "Change a host; a new address or port clears the pinned host key",
        params: idParams,
        body: hostPatchSchema,
        response: { 200: hostSchema },
      },
    },
    async (request) => hosts.update(currentUser(request), request.params.id, request.body),
  );

  app.get(
    "/api/hosts/:id/links",
    {
      schema: {
        tags,
        summary:
          "What refers to a host: clusters it directs, realservers linked to it, hosts behind it",
        params: idParams,
        response: { 200: hostLinksSchema },
      },
    },
    async (request) => hosts.links(request.params.id),
  );

  app.delete(
    "/api/hosts/:id",
    {
      schema: {
        tags,
        summary:
          "Delete a host: refused while a cluster uses it as director or another host jumps through it; while realservers are linked to it, refused naming them unless force=true, which unlinks them",
        params: idParams,
        querystring: hostDeleteQuerySchema,
        response: { 204: noContentSchema },
      },
    },
    async (request, reply) => {
      await hosts.remove(currentUser(request), request.params.id, {
        force: request.query.force === "true",
      });
      return reply.code(204).send(null);
    },
  );
};

export default hostRoutes;
