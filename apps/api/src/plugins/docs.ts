// OpenAPI document generated from the route schemas (@lvs-panel/contract), browsable at
// /api/docs; and the table of every route the app registers, which the contract test holds
// against that document.
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

export interface RegisteredRoute {
  method: string;
  url: string;
  /** Statuses with a response schema. */
  responses: string[];
  /** A server-sent event stream: its events' schema stands in for a response schema. */
  eventStream: boolean;
  hidden: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
  }
  interface FastifyContextConfig {
    /** The schema of each event of a server-sent event stream (the route writes it raw). */
    eventStream?: unknown;
  }
}

export default fp(async function docsPlugin(app: FastifyInstance) {
  const routes: RegisteredRoute[] = [];
  app.decorate("registeredRoutes", routes);
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routes.push({
        method,
        url: route.url,
        responses: Object.keys((route.schema?.response as object | undefined) ?? {}),
        eventStream: route.config?.eventStream !== undefined,
        hidden: route.schema?.hide === true,
      });
    }
  });
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
