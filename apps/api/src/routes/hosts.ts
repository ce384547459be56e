import { noContentSchema } from "@lvs-panel/contract";
import { hostAddressSchema, portSchema, sshUsernameSchema } from "@lvs-panel/lvs";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams, nameSchema } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { HostService } from "../services/host-service.ts";

const privateKeySchema = z
  .string()
  .min(1, { message: "is required" })
  .max(16_384, { message: "is too long for an SSH private key" });

const authSchema = z.discriminatedUnion(
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
  auth: authSchema,
  jumpHostId: z.string().max(64).nullable(),
};

const createBody = z.object({
  ...hostFields,
  port: hostFields.port.default(22),
  username: hostFields.username.default("root"),
  jumpHostId: hostFields.jumpHostId.optional(),
});
const patchBody = z.object(hostFields).partial();

export const hostResponse = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number(),
  username: z.string(),
  authType: z.string(),
  hasSecret: z.boolean(),
  hasPassphrase: z.boolean(),
  hostKeySha256: z.string().nullable(),
  jumpHostId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const hostRoutes: FastifyPluginAsyncZod<{ hosts: HostService }> = async (app, { hosts }) => {
  const tags = ["hosts"];

  app.get(
    "/api/hosts",
    {
      config: { readCache: true },
      schema: { tags, summary: "List SSH hosts", response: { 200: z.array(hostResponse) } },
    },
    async () => hosts.list(),
  );

  app.post(
    "/api/hosts",
    {
      schema: {
        tags,
        summary: "Add an SSH host (secrets are sealed and never returned)",
        body: createBody,
        response: { 201: hostResponse },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await hosts.create(currentUser(request), request.body)),
  );

  app.get(
    "/api/hosts/:id",
    {
      config: { readCache: true },
      schema: { tags, summary: "One host", params: idParams, response: { 200: hostResponse } },
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
        body: patchBody,
        response: { 200: hostResponse },
      },
    },
    async (request) => hosts.update(currentUser(request), request.params.id, request.body),
  );

  app.delete(
    "/api/hosts/:id",
    {
      schema: {
        tags,
        summary: "Delete a host (refused while a cluster uses it)",
        params: idParams,
        response: { 204: noContentSchema },
      },
    },
    async (request, reply) => {
      await hosts.remove(currentUser(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default hostRoutes;
