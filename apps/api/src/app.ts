// buildApp(config) → a ready-to-listen Fastify instance; used by server.ts and by the tests
// (which call app.inject and never open a socket).

import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { checkPrivateKey } from "@lvs-panel/remote";
import Fastify, { type FastifyInstance } from "fastify";
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppConfig } from "./config.ts";
import { plainEnglishIssue } from "./http/validation-messages.ts";
import authPlugin from "./plugins/auth.ts";
import dbPlugin, { databaseProvider } from "./plugins/db.ts";
import docsPlugin from "./plugins/docs.ts";
import errorsPlugin from "./plugins/errors.ts";
import metricsGuard from "./plugins/metrics-guard.ts";
import readCachePlugin from "./plugins/read-cache.ts";
import securityPlugin from "./plugins/security.ts";
import spaPlugin from "./plugins/spa.ts";
import sshPlugin from "./plugins/ssh.ts";
import applyRoutes from "./routes/applies.ts";
import auditRoutes from "./routes/audit.ts";
import authRoutes from "./routes/auth.ts";
import clusterHealthRoutes from "./routes/cluster-health.ts";
import clusterRoutes from "./routes/clusters.ts";
import driftRoutes from "./routes/drift.ts";
import failoverRoutes from "./routes/failover.ts";
import healthRoutes from "./routes/health.ts";
import hostCheckRoutes from "./routes/host-checks.ts";
import hostKeyRoutes from "./routes/host-keys.ts";
import hostRoutes from "./routes/hosts.ts";
import importRoutes from "./routes/import.ts";
import liveRoutes from "./routes/live.ts";
import metricsRoutes from "./routes/metrics.ts";
import overviewRoutes from "./routes/overview.ts";
import realServerBulkRoutes from "./routes/realserver-bulk.ts";
import tokenRoutes from "./routes/tokens.ts";
import userRoutes from "./routes/users.ts";
import { createImportService } from "./services/adopt/director-import.ts";
import { createApplyService } from "./services/apply/apply-service.ts";
import { createAuthService, ensureAdmin } from "./services/auth-service.ts";
import { realServerBulkOperations } from "./services/clusters/realserver-bulk.ts";
import { createClusterService } from "./services/clusters.ts";
import { createDriftWatch } from "./services/drift/cluster-drift.ts";
import { adoptDrift } from "./services/drift/drift-adopt.ts";
import { createClusterHealth } from "./services/health/cluster-health.ts";
import { createHostCheckService } from "./services/host-checks.ts";
import { createHostHealth } from "./services/host-health.ts";
import { createHostKeyService } from "./services/host-keys.ts";
import { createHostService } from "./services/host-service.ts";
import { createTargetResolver } from "./services/host-targets.ts";
import { createInstance } from "./services/instances/instance.ts";
import { createLiveHub } from "./services/live/live-hub.ts";
import { createLoginLimiter } from "./services/login-limiter.ts";
import { createPanelMetrics } from "./services/metrics/panel-metrics.ts";
import { createScrapeAuth } from "./services/metrics/scrape-auth.ts";
import { createOverviewService } from "./services/overview.ts";
import { createSecretBox, loadOrCreateKeyFile, parseSecretKey } from "./services/secret-box.ts";
import { createTokenService } from "./services/tokens.ts";
import { createUserService } from "./services/users.ts";

z.config({ customError: plainEnglishIssue });

export type AppOptions = Omit<
  AppConfig,
  | "host"
  | "port"
  | "logLevel"
  | "liveIntervalMs"
  | "statsIntervalMs"
  | "driftIntervalMs"
  | "tls"
  | "sshConnectTimeoutMs"
  | "metrics"
  | "instanceId"
  | "heartbeatMs"
> & {
  tls?: AppConfig["tls"];
  /** GET /metrics; off unless given. */
  metrics?: AppConfig["metrics"];
  logger?: boolean | { level: string };
  sshConnectTimeoutMs?: number;
  sshCommandTimeoutMs?: number;
  liveIntervalMs?: number;
  /** Sampler of unwatched clusters' counters; off unless given (tests leave it off). */
  statsIntervalMs?: number;
  /** Background drift check; off unless given (tests read GET /drift on demand). */
  driftIntervalMs?: number;
  /** This instance among several on one database (ADR 0008); the host name unless given. */
  instanceId?: string;
  heartbeatMs?: number;
};

/** What a request without a body is validated as: itself where the schema allows no body, {}
 *  where every field is optional, and otherwise nothing, which the schema reports as required. */
function noBodyValue(schema: z.ZodType): Record<string, never> | undefined {
  if (schema.safeParse(undefined).success) return undefined;
  return schema.safeParse({}).success ? {} : undefined;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.tls
      ? { https: { cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) } }
      : {}),
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    // Hostile or buggy clients send huge ids and query strings; cap what the router will parse.
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler<z.ZodType>((route) => {
    const validate = validatorCompiler(route);
    if (route.httpPart !== "body") return validate;
    // Fastify hands a request without a body to the validator as null (the JSON parser below, as
    // undefined). It is no body: where the body is optional (`curl -X POST …/plan`) or all its
    // fields are (`curl -X PATCH …/hosts/1`, which changes nothing) that is the same as {};
    // elsewhere "body: is required". Decided from the schema, so no route has to be listed.
    const noBody = noBodyValue(route.schema);
    return (data) => validate(data == null ? noBody : data);
  });
  app.setSerializerCompiler(serializerCompiler);
  // An empty body sent as JSON (`curl -H 'Content-Type: application/json' -X POST …`) is no body:
  // optional bodies accept it, required ones say "body: is required", not a parser error.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });

  const key = opts.secretKey ? parseSecretKey(opts.secretKey) : loadOrCreateKeyFile(opts.dataDir);
  const box = createSecretBox(key);

  await app.register(errorsPlugin);
  await app.register(dbPlugin, { databaseUrl: opts.databaseUrl });
  const tokens = createTokenService(app.db);
  await app.register(securityPlugin);
  await app.register(readCachePlugin);
  // Before auth: it checks /metrics' bearer itself (the dedicated scrape token is no API token).
  await app.register(metricsGuard, {
    enabled: opts.metrics?.enabled ?? false,
    auth: createScrapeAuth({ token: opts.metrics?.token, tokens }),
  });
  await app.register(authPlugin, { idleMinutes: opts.sessionIdleMinutes, tokens });
  await app.register(docsPlugin);
  await app.register(sshPlugin, {
    connectTimeoutMs: opts.sshConnectTimeoutMs,
    commandTimeoutMs: opts.sshCommandTimeoutMs,
  });

  const hosts = createHostService({
    db: app.db,
    box,
    checkKey: (key, passphrase) => {
      const check = checkPrivateKey(key, passphrase);
      return check.ok ? null : check.message;
    },
  });
  const targets = createTargetResolver(app.db, box);
  const clusters = createClusterService(app.db);
  // Leases and heartbeats shared with the other instances on the database (ADR 0008).
  const instance = createInstance({
    db: app.db,
    provider: databaseProvider(opts.databaseUrl),
    id: opts.instanceId ?? hostname(),
    heartbeatMs: opts.heartbeatMs ?? 2000,
    log: (message) => app.log.warn(message),
  });
  const applies = createApplyService({
    instance,
    db: app.db,
    targets,
    pool: app.ssh,
    commandTimeoutMs: opts.sshCommandTimeoutMs,
    log: (message) => app.log.error(message),
  });

  await app.register(healthRoutes);
  await app.register(authRoutes, {
    auth: createAuthService({
      db: app.db,
      idleMinutes: opts.sessionIdleMinutes,
      limiter: createLoginLimiter(),
    }),
    cookieSecure: opts.cookieSecure,
  });
  await app.register(userRoutes, { users: createUserService(app.db) });
  await app.register(tokenRoutes, { tokens });
  await app.register(hostRoutes, { hosts });
  await app.register(hostKeyRoutes, { hostKeys: createHostKeyService({ db: app.db, targets }) });
  await app.register(hostCheckRoutes, {
    checks: createHostCheckService({
      db: app.db,
      targets,
      pool: app.ssh,
      commandTimeoutMs: opts.sshCommandTimeoutMs,
    }),
  });
  // The cluster's directors carry their VRRP state as last read for the health view.
  const clusterHealth = createClusterHealth({ db: app.db, targets, pool: app.ssh });
  await app.register(clusterRoutes, {
    clusters,
    vrrpOf: (id: string) => clusterHealth.lastKnown(id)?.directors,
  });
  await app.register(realServerBulkRoutes, { realservers: realServerBulkOperations(app.db) });
  await app.register(auditRoutes);
  await app.register(applyRoutes, { applies });
  await app.register(failoverRoutes, { clusters, applies });
  await app.register(importRoutes, {
    imports: createImportService({ db: app.db, targets, pool: app.ssh }),
  });
  const drift = createDriftWatch({
    db: app.db,
    targets,
    pool: app.ssh,
    intervalMs: opts.driftIntervalMs ?? 0,
    isLeader: instance.isLeader,
    log: (message) => app.log.warn(message),
  });
  app.addHook("onClose", async () => drift.close());
  await app.register(driftRoutes, {
    drift,
    adopt: (user, clusterId) => adoptDrift({ db: app.db, targets, pool: app.ssh }, user, clusterId),
  });
  await app.register(clusterHealthRoutes, { health: clusterHealth });
  const live = createLiveHub({
    db: app.db,
    targets,
    pool: app.ssh,
    health: clusterHealth,
    intervalMs: opts.liveIntervalMs ?? 1500,
    statsIntervalMs: opts.statsIntervalMs ?? 0,
    isLeader: instance.isLeader,
  });
  app.addHook("onClose", async () => live.close());
  await app.register(liveRoutes, { live });
  const health = createHostHealth({ targets, pool: app.ssh });
  app.addHook("onClose", async () => health.close());
  await app.register(overviewRoutes, {
    overview: createOverviewService({ db: app.db, health, clusterHealth, drift }),
  });
  if (opts.metrics?.enabled) {
    const metrics = createPanelMetrics({
      db: app.db,
      live,
      clusterHealth,
      hostHealth: health,
      drift,
      ssh: app.ssh,
    });
    await app.register(metricsRoutes, { metrics });
  }
  await app.register(spaPlugin, { webDist: opts.webDist });

  await ensureAdmin(app.db, opts.adminPassword);
  await applies.markInterrupted();
  await instance.start();
  // preClose: the db plugin's onClose, added first, runs first and disconnects.
  app.addHook("preClose", async () => instance.close());
  return app;
}
