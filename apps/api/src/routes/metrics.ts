// GET /metrics: the Prometheus text exposition. Who may read it is plugins/metrics-guard.ts's to
// decide (registered before the auth plugin); what it says, services/metrics/panel-metrics.ts's.
import type { FastifyPluginAsync } from "fastify";
import { METRICS_PATH } from "../plugins/metrics-guard.ts";
import { DomainError } from "../services/errors.ts";
import type { PanelMetrics } from "../services/metrics/panel-metrics.ts";

const metricsRoutes: FastifyPluginAsync<{ metrics: PanelMetrics }> = async (app, { metrics }) => {
  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    // The guard lets no one else through; this holds even if it were registered too late.
    if (!request.metricsScraper) {
      throw new DomainError("unauthenticated", "UNAUTHENTICATED", "not a metrics scraper");
    }
    const body = await metrics.scrape();
    return reply
      .header("content-type", metrics.contentType)
      .header("cache-control", "no-store")
      .send(body);
  });
};

export default metricsRoutes;
