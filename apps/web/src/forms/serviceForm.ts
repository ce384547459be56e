// The service dialog's fields as the API's service input, checked by the domain's own
// validateServiceInput: the words next to a field are the ones the API would answer with.
import { messagesByField, SCHEDULER_FLAGS, validateServiceInput } from "@lvs-panel/lvs";
import type { ServiceCreate } from "../api/types.ts";
import { type FormCheck, parseNumber } from "./formErrors.ts";
import { type HealthCheckFormValues, healthCheckFormInput } from "./healthCheckForm.ts";

/** The dialog's state: text as typed, flags as ticked. */
export interface ServiceFormValues {
  protocol: string;
  vip: string;
  port: string;
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

/** The flags a scheduler takes; the dialog offers only these. */
export function flagsFor(scheduler: string): readonly string[] {
  return (SCHEDULER_FLAGS as Partial<Record<string, readonly string[]>>)[scheduler] ?? [];
}

/**
 * What the dialog sends: numbers parsed, empty persistence as off (its netmask field is hidden
 * then, so its text is dropped), and only the ticked flags the chosen scheduler takes.
 */
export function serviceFormInput(values: ServiceFormValues) {
  const persistence = parseNumber(values.persistence);
  const netmask = values.netmask.trim();
  const allowed = flagsFor(values.scheduler);
  return {
    protocol: values.protocol,
    vip: values.vip.trim(),
    port: parseNumber(values.port),
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
