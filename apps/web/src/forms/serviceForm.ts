// The service dialog's fields as the API's service input, checked by the domain's own
// validateServiceInput: the words next to a field are the ones the API would answer with.
import {
  FORWARDING_METHODS,
  type Forwarding,
  messagesByField,
  PROTOCOLS,
  type Protocol,
  SCHEDULER_FLAGS,
  validateServiceInput,
} from "@lvs-panel/lvs";
import type { ServiceCreate } from "../api/types.ts";
import { type FormCheck, parseNumber } from "./formErrors.ts";
import { type HealthCheckFormValues, healthCheckFormInput } from "./healthCheckForm.ts";

/** What selects a service's packets: protocol, VIP and port, or a firewall mark (`ipvsadm -f`). */
export type ServiceMatch = "port" | "fwmark";

/** The dialog's state: text as typed, flags as ticked. */
export interface ServiceFormValues {
  match: ServiceMatch;
  protocol: string;
  vip: string;
  /** Used when matching by port; hidden for a mark service, which sends port 0. */
  port: string;
  /** Used when matching by mark; hidden otherwise, and sent as null. */
  fwmark: string;
  scheduler: string;
  flags: readonly string[];
  persistence: string;
  netmask: string;
  forwarding: string;
  /**
   * The keepalived settings, when the dialog offers them (the keepalived engine); absent, they
   * are not sent: a new service takes the defaults and an edited one keeps what it has.
   */
  health?: HealthCheckFormValues | undefined;
}

/** The dialog's protocol options, one per protocol the domain knows. */
export const PROTOCOL_OPTIONS: readonly { value: Protocol; label: string }[] = PROTOCOLS.map(
  (value) => ({ value, label: value.toUpperCase() }),
);

const FORWARDING_TEXT = {
  nat: {
    label: "NAT (masquerading)",
    hint: "NAT: replies return through the director. On each managed realserver the panel adds a policy route sending the service's replies to the DIP; its default gateway is left alone.",
  },
  dr: {
    label: "DR (direct routing)",
    hint: "Direct routing: realservers answer clients directly; ports must match.",
  },
  tun: {
    label: "TUN (IP-in-IP tunnel)",
    hint: "IP-in-IP tunnel (IPv4): realservers take the VIP's packets off tunl0 and answer clients directly; ports must match.",
  },
} as const satisfies Record<Forwarding, { label: string; hint: string }>;

/** The dialog's forwarding options, one per method the domain knows, with what each means. */
export const FORWARDING_OPTIONS: readonly { value: Forwarding; label: string; hint: string }[] =
  FORWARDING_METHODS.map((value) => ({ value, ...FORWARDING_TEXT[value] }));

/** The flags a scheduler takes; the dialog offers only these. */
export function flagsFor(scheduler: string): readonly string[] {
  return (SCHEDULER_FLAGS as Partial<Record<string, readonly string[]>>)[scheduler] ?? [];
}

/**
 * What the dialog sends: numbers parsed, empty persistence as off (its netmask field is hidden
 * then, so its text is dropped), and only the ticked flags the chosen scheduler takes. A mark
 * service sends port 0 and its mark; a service by port sends no mark (null: an edited mark
 * service becomes one by port).
 */
export function serviceFormInput(values: ServiceFormValues) {
  const persistence = parseNumber(values.persistence);
  const netmask = values.netmask.trim();
  const allowed = flagsFor(values.scheduler);
  const byMark = values.match === "fwmark";
  return {
    // The mark, not the protocol, selects a mark service's packets; it is stored as tcp, as an
    // import stores one, so a protocol chosen before switching to the mark does not linger.
    protocol: byMark ? "tcp" : values.protocol,
    vip: values.vip.trim(),
    port: byMark ? 0 : parseNumber(values.port),
    // An empty mark is not "no mark": NaN fails the mark's own rule, so the message lands on the
    // mark's field (worded as an empty port's), not on the hidden port as "port 0 needs a mark".
    fwmark: byMark ? (parseNumber(values.fwmark) ?? Number.NaN) : null,
    scheduler: values.scheduler,
    schedulerFlags: values.flags.filter((flag) => allowed.includes(flag)),
    persistence: persistence ?? null,
    persistenceNetmask: persistence !== undefined && netmask ? netmask : null,
    forwarding: values.forwarding,
    ...(values.health ? healthCheckFormInput(values.health) : {}),
  };
}

export function checkServiceForm(values: ServiceFormValues): FormCheck<ServiceCreate> {
  const input = serviceFormInput(values);
  const issues = validateServiceInput(input);
  if (issues.length > 0) return { ok: false, errors: messagesByField(issues) };
  // Valid by the domain's rules, so the text fields hold the types the API takes.
  return { ok: true, input: input as ServiceCreate };
}

/**
 * The dialog's values under the names its errors use (the API's): an error re-checks once the
 * value under its own name changes. A keepalived setting's error follows its own field.
 */
export function serviceFormFieldValues(values: ServiceFormValues): Record<string, unknown> {
  const h = values.health;
  return {
    protocol: values.protocol,
    vip: values.vip,
    port: values.port,
    fwmark: values.fwmark,
    scheduler: values.scheduler,
    schedulerFlags: values.flags,
    persistence: values.persistence,
    persistenceNetmask: values.netmask,
    forwarding: values.forwarding,
    ...(h
      ? {
          healthCheck: h,
          "healthCheck.type": h.type,
          "healthCheck.path": h.path,
          "healthCheck.expectStatus": h.expectStatus,
          "healthCheck.host": h.host,
          "healthCheck.port": h.port,
          "healthCheck.intervalSeconds": h.intervalSeconds,
          "healthCheck.timeoutSeconds": h.timeoutSeconds,
          "healthCheck.retries": h.retries,
          onFailure: h.onFailure,
          sorryServer: [h.sorryAddress, h.sorryPort],
          "sorryServer.address": h.sorryAddress,
          "sorryServer.port": h.sorryPort,
        }
      : {}),
  };
}
