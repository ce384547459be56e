// Drift: the director compared with what the panel last left there, and adopting what changed.
import { driftAdoptedSchema, driftSchema } from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { DriftWatch } from "../services/drift/cluster-drift.ts";
import type { adoptDrift } from "../services/drift/drift-adopt.ts";

const driftRoutes: FastifyPluginAsyncZod<{
  drift: DriftWatch;
  adopt: (
    user: Parameters<typeof adoptDrift>[1],
    clusterId: string,
  ) => ReturnType<typeof adoptDrift>;
}> = async (app, { drift, adopt }) => {
  app.get(
    "/api/clusters/:id/drift",
    {
      schema: {
        tags: ["drift"],
        summary:
          "Read the director now and compare the cluster's services with what the panel last applied, imported or adopted: what changed outside the panel",
        params: idParams,
        response: { 200: driftSchema },
      },
    },
    async (request) => {
      const view = await drift.check(request.params.id);
      const { changes, ...rest } = view;
      return {
        ...rest,
        changes: changes.map(({ service, kind, change }) => ({ service, kind, change })),
      };
    },
  );

  app.post(
    "/api/clusters/:id/drift/adopt",
    {
      schema: {
        tags: ["drift"],
        summary:
          "Adopt the changes made outside the panel: they become the cluster's desired state, so the next plan keeps them",
        params: idParams,
        response: { 200: driftAdoptedSchema },
      },
    },
    async (request) => {
      const result = await adopt(currentUser(request), request.params.id);
      drift.forget(request.params.id);
      return {
        cluster: result.cluster,
        adopted: result.adopted.map(({ service, kind, change }) => ({ service, kind, change })),
      };
    },
  );
};

export default driftRoutes;
