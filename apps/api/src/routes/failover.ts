// Director failover: the directors as a list (one, or two for a VRRP pair) and the manual
// switchover, which sets the priorities and applies at once (a reload of both directors).
import {
  applyStartedSchema,
  clusterSchema,
  directorsInputSchema,
  switchoverInputSchema,
} from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { ApplyService } from "../services/apply/apply-service.ts";
import type { ClusterService } from "../services/clusters.ts";

const failoverRoutes: FastifyPluginAsyncZod<{
  clusters: ClusterService;
  applies: ApplyService;
}> = async (app, { clusters, applies }) => {
  app.put(
    "/api/clusters/:id/directors",
    {
      schema: {
        tags: ["clusters"],
        summary:
          "Set the cluster's directors: one, or two for a keepalived VRRP pair (the cluster needs ha). " +
          "The first is the preferred master; each has a VRRP priority (default 150, then 100)",
        params: idParams,
        body: directorsInputSchema,
        response: { 200: clusterSchema },
      },
    },
    async (request) => clusters.setDirectors(currentUser(request), request.params.id, request.body),
  );

  app.post(
    "/api/clusters/:id/switchover",
    {
      schema: {
        tags: ["clusters"],
        summary:
          "Make this director the master (maintenance): it gets the higher VRRP priority and both " +
          "directors are reloaded by an apply (202 {applyId}); audited. Needs preempt on",
        params: idParams,
        body: switchoverInputSchema,
        response: {
          202: applyStartedSchema.extend({ changed: z.boolean() }),
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const changed = await clusters.prepareSwitchover(
        user,
        request.params.id,
        request.body.hostId,
      );
      const started = await applies.start(user, request.params.id, {});
      return reply.code(202).send({ ...started, changed: changed !== null });
    },
  );
};

export default failoverRoutes;
