import { healthSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/health",
    {
      schema: {
        tags: ["health"],
        summary: "Liveness and database check (no session needed)",
        response: { 200: healthSchema },
      },
    },
    async () => {
      await app.db.$queryRawUnsafe("SELECT 1");
      return { status: "ok" as const, database: "ok" as const };
    },
  );
};

export default healthRoutes;
