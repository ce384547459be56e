// Runtime configuration from the environment, read once at start. Every variable is documented
// in the README's configuration table.
import { hostname } from "node:os";
import path from "node:path";

export interface AppConfig {
  databaseUrl: string;
  /** Directory for the secret key file (and the default database). */
  dataDir: string;
  host: string;
  port: number;
  /** Creates the `admin` user on first start when set; otherwise the first-run page asks. */
  adminPassword: string | undefined;
  /** 32-byte key (base64 or hex) for secrets at rest; otherwise a key file in dataDir. */
  secretKey: string | undefined;
  /** Built SPA to serve at `/`; absent in API-only tests. */
  webDist: string | undefined;
  sessionIdleMinutes: number;
  /** Mark the session cookie Secure (set when served over HTTPS). */
  cookieSecure: boolean;
  logLevel: string;
  /** Live view: how often the director is read while someone watches. */
  liveIntervalMs: number;
  /** How often unwatched clusters' counters are sampled for the charts' history; 0 = never. */
  statsIntervalMs: number;
  /** How often each director is compared with what the panel left there (drift); 0 = never. */
  driftIntervalMs: number;
  /**
   * How long an SSH connection may take (TCP, handshake and login, through any jump host), and
   * how long an open connection may take to start a command, before the host counts as
   * unreachable.
   */
  sshConnectTimeoutMs: number;
  /** Serve HTTPS with these PEM files (both or neither). */
  tls: { certFile: string; keyFile: string } | undefined;
  /**
   * `GET /metrics` (Prometheus): off unless enabled; answered only to a bearer that is an API
   * token or, when set, this dedicated token.
   */
  metrics: { enabled: boolean; token: string | undefined };
  /**
   * This instance among several on one PostgreSQL (its applies and leases carry it); stable across
   * restarts, so a restarted instance knows at once which running applies were its own.
   */
  instanceId: string;
  /** How often this instance renews its leases and its applies' heartbeats. */
  heartbeatMs: number;
}

const repoRoot = path.resolve(import.meta.dirname, "../../..");

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = env.DATABASE_URL ?? "file:./data/lvs-panel.db";
  return {
    databaseUrl,
    dataDir: env.LVS_PANEL_DATA_DIR ?? defaultDataDir(databaseUrl),
    host: env.HOST ?? "127.0.0.1",
    port: parsePort(env.PORT ?? "8080"),
    adminPassword: env.LVS_PANEL_ADMIN_PASSWORD || undefined,
    secretKey: env.LVS_PANEL_SECRET_KEY || undefined,
    webDist: env.LVS_PANEL_WEB_DIST ?? path.join(repoRoot, "apps/web/dist"),
    sessionIdleMinutes: Number(env.LVS_PANEL_SESSION_IDLE_MINUTES ?? 720),
    cookieSecure:
      env.LVS_PANEL_COOKIE_SECURE === "1" ||
      env.LVS_PANEL_COOKIE_SECURE === "true" ||
      Boolean(env.LVS_PANEL_TLS_CERT),
    logLevel: env.LOG_LEVEL ?? "info",
    liveIntervalMs: Number(env.LVS_PANEL_LIVE_INTERVAL_MS ?? 1500),
    statsIntervalMs: Number(env.LVS_PANEL_STATS_INTERVAL_MS ?? 10_000),
    driftIntervalMs: Number(env.LVS_PANEL_DRIFT_INTERVAL_SECONDS ?? 60) * 1000,
    sshConnectTimeoutMs: parseMilliseconds(
      "LVS_PANEL_SSH_CONNECT_TIMEOUT_MS",
      env.LVS_PANEL_SSH_CONNECT_TIMEOUT_MS ?? "10000",
    ),
    tls: tlsFiles(env.LVS_PANEL_TLS_CERT, env.LVS_PANEL_TLS_KEY),
    metrics: {
      enabled: env.LVS_PANEL_METRICS === "1" || env.LVS_PANEL_METRICS === "true",
      token: metricsToken(env.LVS_PANEL_METRICS_TOKEN),
    },
    instanceId: env.LVS_PANEL_INSTANCE_ID || hostname(),
    heartbeatMs: parseMilliseconds("LVS_PANEL_HEARTBEAT_MS", env.LVS_PANEL_HEARTBEAT_MS ?? "2000"),
  };
}

/** A dedicated scrape token must be hard to guess: it opens /metrics without a user. */
function metricsToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 32 || /\s/.test(value)) {
    throw new Error(
      "LVS_PANEL_METRICS_TOKEN must be at least 32 characters without spaces (e.g. `openssl rand -hex 32`)",
    );
  }
  return value;
}

function parseMilliseconds(name: string, value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(ms) || ms < 100) {
    throw new Error(
      `${name} must be a whole number of milliseconds (at least 100), got "${value}"`,
    );
  }
  return ms;
}

/** The directory of a `file:` SQLite URL, so the key file sits beside the database by default. */
function defaultDataDir(databaseUrl: string): string {
  if (databaseUrl.startsWith("file:")) {
    return path.dirname(path.resolve(databaseUrl.slice("file:".length)));
  }
  return path.resolve("data");
}

function tlsFiles(cert: string | undefined, key: string | undefined): AppConfig["tls"] {
  if (!cert && !key) return undefined;
  if (!cert || !key) {
    throw new Error("set both LVS_PANEL_TLS_CERT and LVS_PANEL_TLS_KEY to serve HTTPS, or neither");
  }
  return { certFile: cert, keyFile: key };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a number from 0 to 65535, got "${value}"`);
  }
  return port;
}
