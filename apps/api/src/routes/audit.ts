import { auditEntrySchema, auditQuerySchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listAudit } from "../services/audit.ts";

const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/audit",
    {
      schema: {
        tags: ["audit"],
        summary:
          "The audit log, newest first; narrowed by entityId, clusterId, user and action. Apply entries carry the apply and its outcome.",
        querystring: auditQuerySchema,
        response: { 200: z.array(auditEntrySchema) },
      },
    },
    async (request) => listAudit(app.db, request.query),
  );
};

export default auditRoutes;
