import { hostInterfacesSchema, hostLoginTestSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { idParams } from "../http/schemas.ts";
import type { HostCheckService } from "../services/host-checks.ts";

const hostCheckRoutes: FastifyPluginAsyncZod<{ checks: HostCheckService }> = async (
  app,
  { checks },
) => {
  app.post(
    "/api/hosts/:id/test",
    {
      schema: {
        tags: ["hosts"],
        summary:
          "Test login: log in afresh, check sudo -n for a non-root user and every tool the host's role needs; each check in plain words",
        params: idParams,
        response: { 200: hostLoginTestSchema },
      },
    },
    async (request) => checks.testLogin(request.params.id),
  );

  app.get(
    "/api/hosts/:id/interfaces",
    {
      schema: {
        tags: ["hosts"],
        summary: "The host's interfaces and their addresses, read over SSH (ip -o addr show)",
        params: idParams,
        response: { 200: hostInterfacesSchema },
      },
    },
    async (request) => checks.interfaces(request.params.id),
  );
};

export default hostCheckRoutes;
