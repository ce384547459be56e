// How keepalived decides that a realserver is alive, per service: the checker, its timing, what a
// failure does (quiesce: weight 0, established connections finish; remove: out of the table) and
// the sorry server that takes the traffic when every realserver is down. Only a cluster on the
// keepalived engine runs checks; on the ipvsadm engine the settings are kept but do nothing.
import { z } from "zod";
import { addressFamily } from "./address.ts";
import { ipAddressSchema, portSchema } from "./fields.ts";

export const HEALTH_CHECK_TYPES = ["none", "tcp", "http", "https"] as const;
export type HealthCheckType = (typeof HEALTH_CHECK_TYPES)[number];

export const FAILURE_ACTIONS = ["quiesce", "remove"] as const;
export type FailureAction = (typeof FAILURE_ACTIONS)[number];

function wholeNumber(min: number, max: number, unit: string, why: string) {
  const range = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z
    .number({ message: range })
    .int({ message: range })
    .min(min, { message: `${range} (${why})` })
    .max(max, { message: `${range} (${why})` });
}

/** Seconds between checks (keepalived's `delay_loop`). */
export const intervalSecondsSchema = wholeNumber(
  1,
  3600,
  "seconds",
  "a check more often than every second loads the realserver; less than hourly detects nothing",
);
/** Seconds a check may take (keepalived's `connect_timeout`). */
export const timeoutSecondsSchema = wholeNumber(
  1,
  300,
  "seconds",
  "keepalived waits at least a second for an answer",
);
/** Failed checks after the first before the realserver counts as down (keepalived's `retry`). */
export const retriesSchema = wholeNumber(
  0,
  10,
  "retries",
  "more than 10 would keep a dead realserver in rotation for over 10 intervals",
);

/**
 * An HTTP path keepalived requests. keepalived.conf splits words on spaces and reads `#`, `!` and
 * `$` as comment and variable syntax, and quotes are not escapes there: the path keeps to the
 * characters of a URL path and query that mean nothing to that grammar.
 */
export const checkPathSchema = z
  .string({ message: "must be text" })
  .max(200, { message: "must be at most 200 characters" })
  .regex(/^\/[A-Za-z0-9._~%/?=&+:,-]*$/, {
    message:
      "must start with / and use only letters, digits and . _ ~ % / ? = & + : , - (no spaces, #, ! or $)",
  });

/** The Host header of an HTTP check: a DNS name (or an address). */
export const checkHostSchema = z
  .string({ message: "must be text" })
  .max(253, { message: "must be at most 253 characters" })
  .regex(
    /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
    { message: "must be a DNS name such as www.example.com" },
  );

/** An HTTP status code the check expects. */
export const expectStatusSchema = z
  .number({ message: "must be an HTTP status code from 100 to 599" })
  .int({ message: "must be an HTTP status code from 100 to 599" })
  .min(100, { message: "must be an HTTP status code from 100 to 599" })
  .max(599, { message: "must be an HTTP status code from 100 to 599" });

/** A check's timing when nothing is said: every 5 s, 3 s to answer, down after 3 failures. */
const DEFAULT_TIMING = { intervalSeconds: 5, timeoutSeconds: 3, retries: 2 } as const;

export const healthCheckSchema = z.object({
  type: z.enum(HEALTH_CHECK_TYPES, { message: "must be none, tcp, http or https" }),
  path: checkPathSchema.optional(),
  expectStatus: expectStatusSchema.optional(),
  host: checkHostSchema.optional(),
  /** The port to check instead of each realserver's own. */
  port: portSchema.optional(),
  // Left out: the defaults (DEFAULT_HEALTH_CHECK's timing), so `{type: "http", path: "/health"}`
  // is a whole check.
  intervalSeconds: intervalSecondsSchema.default(DEFAULT_TIMING.intervalSeconds),
  timeoutSeconds: timeoutSecondsSchema.default(DEFAULT_TIMING.timeoutSeconds),
  retries: retriesSchema.default(DEFAULT_TIMING.retries),
});
export type HealthCheck = z.infer<typeof healthCheckSchema>;

export const failureActionSchema = z.enum(FAILURE_ACTIONS, {
  message: "must be quiesce (weight 0, connections finish) or remove (out of the table)",
});

export const sorryServerSchema = z.object({ address: ipAddressSchema, port: portSchema });
export type SorryServer = z.infer<typeof sorryServerSchema>;

/** What a service checks when nothing is said: a TCP connect to the realserver's port. */
export const DEFAULT_HEALTH_CHECK: HealthCheck = { type: "tcp", ...DEFAULT_TIMING };
export const DEFAULT_FAILURE_ACTION: FailureAction = "quiesce";

/**
 * The check a service runs: its own, or the default. A UDP or SCTP service has no TCP port to
 * connect to (its realservers would refuse, and all be taken out), and keepalived has no SCTP
 * checker, so their default is no check.
 */
export function effectiveHealthCheck(s: {
  healthCheck?: HealthCheck | undefined;
  protocol: string;
}): HealthCheck {
  if (s.healthCheck) return s.healthCheck;
  return s.protocol === "udp" || s.protocol === "sctp"
    ? { ...DEFAULT_HEALTH_CHECK, type: "none" }
    : DEFAULT_HEALTH_CHECK;
}

/**
 * The longest a dead realserver keeps getting new connections: every attempt of the cycle fails.
 * One that refuses fails at once (interval × (retries + 1)); one that does not answer at all costs
 * the timeout on each attempt too, which is the bound given here.
 */
export function detectionBoundSeconds(check: HealthCheck): number {
  return check.type === "none"
    ? Number.POSITIVE_INFINITY
    : (check.intervalSeconds + check.timeoutSeconds) * (check.retries + 1);
}

/**
 * The rules between a check's fields and its service, each with the field it is about (relative
 * to the service: "healthCheck.path", "sorryServer.address").
 */
export function healthCheckProblems(
  check: HealthCheck | undefined,
  sorry: SorryServer | null | undefined,
  vip: string,
): { field: string; code: string; message: string }[] {
  const problems: { field: string; code: string; message: string }[] = [];
  if (check) {
    const http = check.type === "http" || check.type === "https";
    for (const key of ["path", "expectStatus", "host"] as const) {
      if (check[key] !== undefined && !http) {
        problems.push({
          field: `healthCheck.${key}`,
          code: "CHECK_FIELD_NOT_HTTP",
          message: `only applies to http and https checks, not ${check.type}`,
        });
      }
    }
    if (check.type !== "none" && check.timeoutSeconds > check.intervalSeconds) {
      problems.push({
        field: "healthCheck.timeoutSeconds",
        code: "CHECK_TIMEOUT_OVER_INTERVAL",
        message: `must not exceed the interval (${check.intervalSeconds} s): a check would still be waiting when the next one is due`,
      });
    }
  }
  if (sorry && addressFamily(sorry.address) !== addressFamily(vip)) {
    problems.push({
      field: "sorryServer.address",
      code: "SORRY_SERVER_FAMILY",
      message: "must be of the same address family as the VIP",
    });
  }
  return problems;
}
