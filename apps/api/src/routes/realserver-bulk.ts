// POST /api/services/:id/realservers/bulk: the web's "Add realservers" (a pasted list), all or
// none. A 400 or 409 names each realserver at fault by its place in the list
// (`realservers.2.port`), as the body's schema does.
import { realServerBulkCreatedSchema, realServerBulkCreateSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { realServerBulkOperations } from "../services/clusters/realserver-bulk.ts";

const realServerBulkRoutes: FastifyPluginAsyncZod<{
  realservers: ReturnType<typeof realServerBulkOperations>;
}> = async (app, { realservers }) => {
  app.post(
    "/api/services/:id/realservers/bulk",
    {
      schema: {
        tags: ["realservers"],
        summary:
          "Add many realservers to a virtual service at once: all of them, or none (the 400 or 409 names each one at fault as realservers.<index>)",
        params: idParams,
        body: realServerBulkCreateSchema,
        response: { 201: realServerBulkCreatedSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await realservers.createRealServers(
            currentUser(request),
            request.params.id,
            request.body.realservers,
          ),
        ),
  );
};

export default realServerBulkRoutes;
