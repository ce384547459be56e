import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";

const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/audit",
    {
      schema: {
        tags: ["audit"],
        summary: "The audit log, newest first",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          entityId: z.string().max(64).optional(),
        }),
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              at: z.string(),
              username: z.string(),
              action: z.string(),
              entityType: z.string(),
              entityId: z.string().nullable(),
              before: z.unknown(),
              after: z.unknown(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const rows = await app.db.auditLog.findMany({
        where: request.query.entityId ? { entityId: request.query.entityId } : {},
        orderBy: [{ at: "desc" }, { id: "desc" }],
        take: request.query.limit,
      });
      return rows.map((row) => ({
        id: row.id,
        at: row.at.toISOString(),
        username: row.username,
        action: row.action,
        entityType: row.entityType,
        entityId: row.entityId,
        before: row.before === null ? null : JSON.parse(row.before),
        after: row.after === null ? null : JSON.parse(row.after),
      }));
    },
  );
};

export default auditRoutes;
