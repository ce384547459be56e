import {
  applyEventSchema,
  applyRequestSchema,
  applySchema,
  applyStartedSchema,
  pendingChangesSchema,
  pendingHostStepsSchema,
  planRequestSchema,
  planViewSchema,
} from "@lvs-panel/contract";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { openEventStream } from "../http/event-stream.ts";
import { idParams } from "../http/schemas.ts";
import { currentUser } from "../plugins/auth.ts";
import type { ApplyEvent, ApplyService } from "../services/apply/apply-service.ts";
import { pendingChanges } from "../services/pending-changes.ts";

const applyRoutes: FastifyPluginAsyncZod<{ applies: ApplyService }> = async (app, { applies }) => {
  app.post(
    "/api/clusters/:id/plan",
    {
      schema: {
        tags: ["apply"],
        summary:
          "Read the hosts over SSH and plan: per host, the steps with the exact commands, the summary and the warnings",
        params: idParams,
        body: planRequestSchema,
        response: { 200: planViewSchema },
      },
    },
    async (request) => applies.plan(request.params.id, request.body ?? {}),
  );

  app.post(
    "/api/clusters/:id/apply",
    {
      schema: {
        tags: ["apply"],
        summary:
          "Start applying the cluster to its hosts (202 {applyId}); 409 while another apply of the cluster runs",
        params: idParams,
        body: applyRequestSchema,
        response: { 202: applyStartedSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await applies.start(currentUser(request), request.params.id, request.body ?? {})),
  );

  app.get(
    "/api/clusters/:id/applies",
    {
      schema: {
        tags: ["apply"],
        summary: "Apply history of a cluster, newest first, with author and per-host steps",
        params: idParams,
        response: { 200: z.array(applySchema) },
      },
    },
    async (request) => applies.history(request.params.id),
  );

  app.get(
    "/api/clusters/:id/pending-changes",
    {
      schema: {
        tags: ["apply"],
        summary:
          "What the hosts do not carry yet: the desired state against the last successful apply, in words, and the realservers whose weight is pending",
        params: idParams,
        response: { 200: pendingChangesSchema },
      },
    },
    async (request) => pendingChanges(app.db, request.params.id),
  );

  app.get(
    "/api/clusters/:id/pending-host-steps",
    {
      schema: {
        tags: ["apply"],
        summary:
          "Steps left pending on realservers the last successful apply could not reach; they run on the next apply that reaches each host",
        params: idParams,
        response: { 200: pendingHostStepsSchema },
      },
    },
    async (request) => applies.pendingHostSteps(request.params.id),
  );

  app.get(
    "/api/applies/:id",
    {
      schema: {
        tags: ["apply"],
        summary:
          "An apply: status (running, succeeded, failed, rolled_back, interrupted) and per-host steps with output",
        params: idParams,
        response: { 200: applySchema },
      },
    },
    async (request) => applies.get(request.params.id),
  );

  app.get(
    "/api/applies/:id/events",
    {
      schema: {
        tags: ["apply"],
        summary:
          "Server-sent events: the apply's progress, replayed from the start, live until it ends",
        params: idParams,
      },
      config: { eventStream: applyEventSchema },
    },
    async (request, reply) => {
      const stored = await applies.get(request.params.id); // 404s before the stream opens
      const raw = openEventStream(reply);
      const send = (e: ApplyEvent) => raw.write(`data: ${JSON.stringify(e)}\n\n`);
      const end = () => {
        raw.write("event: end\ndata: {}\n\n");
        raw.end();
      };
      // Not in this process but running: another panel instance runs it (ADR 0008).
      const unsubscribe =
        applies.subscribe(request.params.id, send, end) ??
        (stored.status === "running" ? applies.follow(request.params.id, send, end) : null);
      if (!unsubscribe) {
        for (const e of stored.events) send(e);
        end();
        return;
      }
      request.raw.on("close", unsubscribe);
    },
  );
};

export default applyRoutes;
