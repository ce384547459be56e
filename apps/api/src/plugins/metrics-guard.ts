// Who reaches GET /metrics. It is off unless enabled (then 404, whoever asks: no session, token
// or SPA fallback answers there), and otherwise answers only a bearer that the scrape auth
// accepts (401 with a challenge for anyone else). Registered before the auth plugin, whose hook
// takes every bearer for an API token and would refuse the dedicated scrape token: this hook
// checks the bearer first, and takes it off the request once accepted.
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { DomainError } from "../services/errors.ts";
import type { ScrapeAuth } from "../services/metrics/scrape-auth.ts";

export const METRICS_PATH = "/metrics";

declare module "fastify" {
  interface FastifyRequest {
    /** The request's bearer was checked and may read /metrics. */
    metricsScraper: boolean;
  }
}

export default fp<{ enabled: boolean; auth: ScrapeAuth }>(
  async function metricsGuard(app: FastifyInstance, opts) {
    app.decorateRequest("metricsScraper", false);
    app.addHook("onRequest", async (request, reply) => {
      if (request.url.split("?")[0] !== METRICS_PATH) return;
      if (!opts.enabled) {
        throw new DomainError(
          "not_found",
          "NOT_FOUND",
          `no route ${request.method} ${METRICS_PATH}`,
        );
      }
      if (!(await opts.auth.allows(request.headers.authorization))) {
        reply.header("www-authenticate", 'Bearer realm="lvs-panel metrics"');
        throw new DomainError(
          "unauthenticated",
          "UNAUTHENTICATED",
          "send an API token or the metrics token as a bearer token",
        );
      }
      request.metricsScraper = true;
      delete request.headers.authorization;
    });
  },
  { name: "metrics-guard" },
);
