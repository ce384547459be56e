// Adopting what already runs on a director: preview, import as a new cluster, import into one.
import {
  clusterImportRequestSchema,
  type ImportPreview,
  importPreviewRequestSchema,
  importPreviewSchema,
  importResultSchema,
  serviceImportRequestSchema,
} from "@lvs-panel/contract";
import type { HealthCheck } from "@lvs-panel/lvs";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { createImportService } from "../services/adopt/director-import.ts";

type ImportService = ReturnType<typeof createImportService>;

const importRoutes: FastifyPluginAsyncZod<{ imports: ImportService }> = async (
  app,
  { imports },
) => {
  app.post(
    "/api/clusters/import/preview",
    {
      schema: {
        tags: ["import"],
        summary:
          "Read a director over SSH: the services an import would take (with their health checks under keepalived) and those it refuses, with the reason",
        body: importPreviewRequestSchema,
        response: { 200: importPreviewSchema },
      },
    },
    async (request): Promise<ImportPreview> => {
      const found = await imports.preview(request.body.hostId);
      return {
        engine: found.engine,
        services: found.services.map(({ service, spec }) => ({
          service,
          scheduler: spec.scheduler,
          forwarding: spec.forwarding,
          realservers: spec.realservers.length,
          healthCheck: found.engine === "keepalived" ? describeCheck(spec.healthCheck) : null,
        })),
        refused: found.refused,
        adjusted: found.adjusted,
        keepalivedConf:
          found.engine === "keepalived"
            ? { takenOver: found.keepalivedConfSha256 !== null, blockers: found.blockers }
            : null,
      };
    },
  );

  app.post(
    "/api/clusters/import",
    {
      schema: {
        tags: ["import"],
        summary:
          "Create a cluster from what runs on a director: it owns every service found (or those named), with their realservers; 201 with the cluster and what was refused",
        body: clusterImportRequestSchema,
        response: { 201: importResultSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await imports.importCluster(currentUser(request), request.body)),
  );

  app.post(
    "/api/clusters/:id/import",
    {
      schema: {
        tags: ["import"],
        summary:
          'Adopt chosen services of the cluster\'s director into the cluster: {services: ["TCP 10.0.0.1:80", "FWM 7"]}',
        params: idParams,
        body: serviceImportRequestSchema,
        response: { 200: importResultSchema },
      },
    },
    async (request) =>
      imports.importIntoCluster(currentUser(request), request.params.id, request.body.services),
  );
};

function describeCheck(check: HealthCheck | undefined): string | null {
  if (!check || check.type === "none") return null;
  const what =
    check.type === "tcp"
      ? "TCP connect"
      : `${check.type.toUpperCase()} GET ${check.path ?? "/"}${check.expectStatus ? ` expecting ${check.expectStatus}` : ""}`;
  return `${what} every ${check.intervalSeconds} s`;
}

export default importRoutes;
