// The service dialog's keepalived settings (health check, what a failure does, the sorry server)
// as the API's service input fields. Checked with the rest of the service by validateServiceInput,
// so the messages carry the API's field names: "healthCheck.path", "sorryServer.address".
import {
  DEFAULT_FAILURE_ACTION,
  DEFAULT_HEALTH_CHECK,
  detectionBoundSeconds,
  healthCheckSchema,
} from "@lvs-panel/lvs";
import type { Service } from "../api/types.ts";
import { parseNumber } from "./formErrors.ts";

/** The fields' state: text as typed. */
export interface HealthCheckFormValues {
  type: string;
  path: string;
  expectStatus: string;
  host: string;
  /** The service's port override; "" for each realserver's own. */
  port: string;
  intervalSeconds: string;
  timeoutSeconds: string;
  retries: string;
  onFailure: string;
  sorryAddress: string;
  sorryPort: string;
}

/** Every field name these settings can be refused under, by the form or by the API. */
export const HEALTH_CHECK_FIELDS = [
  "healthCheck",
  "healthCheck.type",
  "healthCheck.path",
  "healthCheck.expectStatus",
  "healthCheck.host",
  "healthCheck.port",
  "healthCheck.intervalSeconds",
  "healthCheck.timeoutSeconds",
  "healthCheck.retries",
  "onFailure",
  "sorryServer",
  "sorryServer.address",
  "sorryServer.port",
] as const;

const text = (value: number | string | undefined) => (value === undefined ? "" : String(value));

/** A service's settings in the fields; a new service starts from the defaults (TCP, 5/3/2). */
export function healthCheckFormValues(
  service?: Pick<Service, "healthCheck" | "onFailure" | "sorryServer">,
): HealthCheckFormValues {
  const check = service?.healthCheck ?? DEFAULT_HEALTH_CHECK;
  return {
    type: check.type,
    path: text(check.path),
    expectStatus: text(check.expectStatus),
    host: text(check.host),
    port: text(check.port),
    intervalSeconds: text(check.intervalSeconds),
    timeoutSeconds: text(check.timeoutSeconds),
    retries: text(check.retries),
    onFailure: service?.onFailure ?? DEFAULT_FAILURE_ACTION,
    sorryAddress: service?.sorryServer?.address ?? "",
    sorryPort: text(service?.sorryServer?.port),
  };
}

export function isHttpCheck(type: string): boolean {
  return type === "http" || type === "https";
}

/**
 * What the dialog sends, the whole check every time (a PATCH replaces it whole). The HTTP fields
 * count only for an HTTP check (they are hidden otherwise); empty optional boxes are left out,
 * an emptied timing box is null so its own message shows rather than the default slipping in.
 * No check sends the default timing: there is nothing to time.
 */
export function healthCheckFormInput(values: HealthCheckFormValues) {
  const http = isHttpCheck(values.type);
  const optionalText = (value: string) => (value.trim() === "" ? undefined : value.trim());
  const healthCheck =
    values.type === "none"
      ? {
          type: values.type,
          intervalSeconds: DEFAULT_HEALTH_CHECK.intervalSeconds,
          timeoutSeconds: DEFAULT_HEALTH_CHECK.timeoutSeconds,
          retries: DEFAULT_HEALTH_CHECK.retries,
        }
      : dropUndefined({
          type: values.type,
          path: http ? optionalText(values.path) : undefined,
          expectStatus: http ? parseNumber(values.expectStatus) : undefined,
          host: http ? optionalText(values.host) : undefined,
          port: parseNumber(values.port),
          intervalSeconds: parseNumber(values.intervalSeconds) ?? null,
          timeoutSeconds: parseNumber(values.timeoutSeconds) ?? null,
          retries: parseNumber(values.retries) ?? null,
        });
  // Without a check nothing fails: the failure action and sorry server are hidden then, and left
  // out (an edited service keeps its own).
  if (values.type === "none") return { healthCheck };
  const sorryAddress = values.sorryAddress.trim();
  const sorryServer =
    sorryAddress === "" && values.sorryPort.trim() === ""
      ? null
      : { address: sorryAddress, port: parseNumber(values.sorryPort) };
  return { healthCheck, onFailure: values.onFailure, sorryServer };
}

function dropUndefined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** 15 → "15 s", 300 → "300 s (5 min)", 39600 → "39600 s (11 h)". */
export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${seconds} s (${Math.round(seconds / 60)} min)`;
  return `${seconds} s (${Math.round(seconds / 3600)} h)`;
}

/**
 * The consequence of the timing in one line, from detectionBoundSeconds; null while the timing
 * boxes do not hold a valid timing (their own messages say why on save).
 */
export function detectionLine(values: HealthCheckFormValues): string | null {
  if (values.type === "none") {
    return "No health check: a dead realserver keeps getting new connections.";
  }
  const parsed = healthCheckSchema.safeParse({
    type: values.type,
    intervalSeconds: parseNumber(values.intervalSeconds) ?? null,
    timeoutSeconds: parseNumber(values.timeoutSeconds) ?? null,
    retries: parseNumber(values.retries) ?? null,
  });
  if (!parsed.success) return null;
  return `A dead realserver stops getting new connections within ${formatSeconds(
    detectionBoundSeconds(parsed.data),
  )}.`;
}
