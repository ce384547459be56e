// OpenAPI document generated from the route schemas (@lvs-panel/contract), browsable at
// /api/docs; and the table of every route the app registers, which the contract test holds
// against that document.
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import { isPublicPath, SESSION_COOKIE } from "./auth.ts";

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
          "Scripts send an API token (create one on the API tokens page, or POST /api/tokens): " +
          "press Authorize and paste it to try the routes here. A read-only token may only GET. " +
          "In the browser, the session cookie of POST /api/auth/login authorises the routes too.",
        version: "0.1.0",
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: "http",
            scheme: "bearer",
            bearerFormat: "lvsp_… API token",
            description: "An API token: `Authorization: Bearer lvsp_…`",
          },
          sessionCookie: {
            type: "apiKey",
            in: "cookie",
            name: SESSION_COOKIE,
            description: "The browser's session, set by POST /api/auth/login",
          },
        },
      },
      // Every route takes either; the public ones (health, sign-in, these docs) say they need none.
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      return isPublicPath(input.url) ? { ...out, schema: { ...out.schema, security: [] } } : out;
    },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
});
