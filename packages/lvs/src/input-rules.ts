// The rules for one virtual service and one realserver as an operator submits them (an API body,
// a form): each field on its own first, then the rules between fields. The API answers with these
// issues and the web forms show them next to the same fields; validateCluster applies the same
// rule functions to a stored cluster, so all three say the same words for the same value.
import { z } from "zod";
import { addressFamily, type Family, netmaskToPrefix } from "./address.ts";
import {
  enabledSchema,
  forwardingSchema,
  fwmarkSchema,
  ipAddressSchema,
  persistenceNetmaskSchema,
  persistenceSchema,
  portSchema,
  protocolSchema,
  SCHEDULER_FLAGS,
  schedulerFlagsSchema,
  schedulerSchema,
  thresholdSchema,
  weightSchema,
} from "./fields.ts";
import {
  failureActionSchema,
  healthCheckProblems,
  healthCheckSchema,
  sorryServerSchema,
} from "./health-check.ts";
import type { Issue } from "./model.ts";

/** A virtual service as submitted: the fields the kernel sees, optional ones left out or null. */
export const serviceInputSchema = z.object({
  protocol: protocolSchema,
  vip: ipAddressSchema,
  /** 0 for a mark service, which matches by mark, not port. */
  port: z
    .number({ message: "must be a whole number from 1 to 65535" })
    .int({ message: "must be a whole number from 1 to 65535" })
    .min(0, { message: "must be from 1 to 65535" })
    .max(65535, { message: "must be from 1 to 65535" }),
  /** A firewall-mark service: matched by this mark; `vip` is the address it covers, `port` 0. */
  fwmark: fwmarkSchema.nullable().optional(),
  scheduler: schedulerSchema,
  schedulerFlags: schedulerFlagsSchema.optional(),
  persistence: persistenceSchema.nullable().optional(),
  persistenceNetmask: persistenceNetmaskSchema.nullable().optional(),
  forwarding: forwardingSchema,
  /** Used by the keepalived engine; absent: DEFAULT_HEALTH_CHECK. */
  healthCheck: healthCheckSchema.optional(),
  onFailure: failureActionSchema.optional(),
  sorryServer: sorryServerSchema.nullable().optional(),
});

/** A realserver as submitted; what is left out takes the kernel's defaults (weight 1, no limits). */
export const realServerInputSchema = z.object({
  address: ipAddressSchema,
  port: portSchema,
  weight: weightSchema.optional(),
  enabled: enabledSchema.optional(),
  upperThreshold: thresholdSchema.optional(),
  lowerThreshold: thresholdSchema.optional(),
  /** The port the service's health check connects to on this realserver, instead of its own. */
  checkPort: portSchema.nullable().optional(),
});

/** Any values under the input's field names: a form's state or a request body, unchecked. */
export type InputDraft<T> = { [K in keyof T]?: unknown };
export type ServiceInputDraft = InputDraft<z.input<typeof serviceInputSchema>>;
export type RealServerInputDraft = InputDraft<z.input<typeof realServerInputSchema>>;

const FIELD_CODES: Record<string, string> = {
  protocol: "INVALID_PROTOCOL",
  vip: "INVALID_ADDRESS",
  address: "INVALID_ADDRESS",
  port: "INVALID_PORT",
  scheduler: "INVALID_SCHEDULER",
  schedulerFlags: "INVALID_SCHEDULER_FLAG",
  persistence: "INVALID_PERSISTENCE",
  persistenceNetmask: "INVALID_NETMASK",
  forwarding: "INVALID_FORWARDING",
  weight: "INVALID_WEIGHT",
  enabled: "INVALID_ENABLED",
  upperThreshold: "INVALID_THRESHOLD",
  lowerThreshold: "INVALID_THRESHOLD",
  healthCheck: "INVALID_HEALTH_CHECK",
  onFailure: "INVALID_ON_FAILURE",
  sorryServer: "INVALID_SORRY_SERVER",
  fwmark: "INVALID_FWMARK",
  checkPort: "INVALID_PORT",
};

/**
 * The issues of one service input, `field` being the input's own field name ("vip",
 * "persistenceNetmask"); empty when the input is valid. The rules between fields are checked once
 * every field is valid on its own: a netmask cannot be judged against a VIP that is not an address.
 */
export function validateServiceInput(input: ServiceInputDraft): Issue[] {
  const parsed = serviceInputSchema.safeParse(input);
  if (!parsed.success) return fieldIssues(parsed.error);
  const s = parsed.data;
  // Port 0 is a field error of its own (only a mark service has it): before the rules between
  // fields, as every other field error.
  if (s.fwmark == null && s.port === 0) {
    return [{ code: "INVALID_PORT", field: "port", message: "must be from 1 to 65535" }];
  }
  const issues: Issue[] = [];
  const badFlag = (s.schedulerFlags ?? [])
    .map((flag) => schedulerFlagProblem(s.scheduler, flag))
    .find((problem) => problem !== null);
  if (badFlag) {
    issues.push({ code: "INVALID_SCHEDULER_FLAG", field: "schedulerFlags", message: badFlag });
  }
  const mask = persistenceNetmaskProblem(s.persistenceNetmask, s.persistence, addressFamily(s.vip));
  if (mask) issues.push({ ...mask, field: "persistenceNetmask" });
  if (s.fwmark != null && s.port !== 0) {
    issues.push({
      code: "FWMARK_PORT",
      field: "port",
      message: "must be 0 for a firewall-mark service, which matches packets by mark, not port",
    });
  }
  const tun = forwardingFamilyProblem(s.forwarding, addressFamily(s.vip));
  if (tun) issues.push({ ...tun, field: "vip" });
  issues.push(...healthCheckProblems(s.healthCheck, s.sorryServer, s.vip));
  return issues;
}

/** The issues of one realserver input, as validateServiceInput's. */
export function validateRealServerInput(input: RealServerInputDraft): Issue[] {
  const parsed = realServerInputSchema.safeParse(input);
  if (!parsed.success) return fieldIssues(parsed.error);
  const rs = parsed.data;
  const order = thresholdOrderProblem(rs.upperThreshold ?? 0, rs.lowerThreshold ?? 0);
  return order ? [{ code: "THRESHOLD_ORDER", field: "lowerThreshold", message: order }] : [];
}

/** One message per field (the first), as an API error body's `fields` and a form show them. */
export function messagesByField(issues: readonly Issue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[issue.field] ??= issue.message;
  return fields;
}

/** Why `flag` is not a flag of `scheduler`, or null when it is. */
export function schedulerFlagProblem(scheduler: string, flag: string): string | null {
  const allowed: readonly string[] =
    (SCHEDULER_FLAGS as Partial<Record<string, readonly string[]>>)[scheduler] ?? [];
  if (allowed.includes(flag)) return null;
  return allowed.length > 0
    ? `scheduler ${scheduler} accepts only ${allowed.join(", ")}`
    : `scheduler ${scheduler} takes no flags`;
}

/**
 * What is wrong with an address of this family under this forwarding method, or null. TUN is
 * IP-in-IP (`ipvsadm -i`, the ipip tunnel type): the realserver takes the packets off its `tunl0`,
 * which carries IPv4 in IPv4 only; IPv6 tunnelling (ip6ip6 on ip6tnl0) is not managed.
 */
export function forwardingFamilyProblem(
  forwarding: string,
  family: Family | null,
): Omit<Issue, "field"> | null {
  if (forwarding !== "tun" || family !== 6) return null;
  return {
    code: "TUN_IPV6",
    message:
      "must be IPv4 for TUN forwarding: its IP-in-IP tunnel (ipip, tunl0) carries IPv4 only; use DR or NAT for IPv6",
  };
}

/** What is wrong with a persistence netmask, given the persistence and the VIP's family. */
export function persistenceNetmaskProblem(
  mask: string | null | undefined,
  persistence: number | null | undefined,
  family: Family | null,
): Omit<Issue, "field"> | null {
  if (mask == null) return null;
  if (persistence == null) {
    return { code: "NETMASK_WITHOUT_PERSISTENCE", message: "only applies with persistence" };
  }
  // ipvsadm -M reads a prefix length (1-128) for an IPv6 service and a dotted mask otherwise.
  if (family === 6) {
    const ok = /^\d{1,3}$/.test(mask) && Number(mask) >= 1 && Number(mask) <= 128;
    return ok
      ? null
      : { code: "INVALID_NETMASK", message: "must be a prefix length from 1 to 128" };
  }
  // ipvsadm takes any dotted quad (inet_aton) and the kernel ANDs client addresses with it, so
  // "10.0.0.1" would be accepted and group unrelated clients: only contiguous masks are netmasks.
  return netmaskToPrefix(mask) !== null
    ? null
    : { code: "INVALID_NETMASK", message: "must be a netmask like 255.255.255.0" };
}

/**
 * Why the lower threshold is out of order with the upper one, or null. The kernel refuses a lower
 * threshold above the upper one (ip_vs_add_dest/ip_vs_edit_dest: -ERANGE) even when the upper is
 * 0, "no limit": so without an upper threshold there is no lower one either.
 */
export function thresholdOrderProblem(upper: number, lower: number): string | null {
  if (lower <= upper) return null;
  return upper === 0
    ? "must be 0 without an upper threshold (the kernel refuses a lower one above the upper)"
    : "must not exceed the upper threshold";
}

function fieldIssues(error: z.ZodError): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const issue of error.issues) {
    // Nested paths read "schedulerFlags.0", as the API names fields inside a body.
    const field = issue.path.map(String).join(".");
    if (seen.has(field)) continue;
    seen.add(field);
    const code = FIELD_CODES[String(issue.path[0])] ?? "INVALID_FIELD";
    issues.push({ code, field, message: issue.message });
  }
  return issues;
}
