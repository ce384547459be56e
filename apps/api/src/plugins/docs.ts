// OpenAPI document generated from the route schemas, browsable at /api/docs.
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

export default fp(async function docsPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: "lvs-panel API",
        description:
          "Manage LVS/IPVS clusters: hosts, clusters, directors, virtual services, realservers. " +
          "Sign in with POST /api/auth/login; the session cookie authorises the other routes.",
        version: "0.1.0",
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
});
