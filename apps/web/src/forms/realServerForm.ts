// The realserver dialog's fields as the API's realserver input, checked by the domain's own
// validateRealServerInput: the words next to a field are the ones the API would answer with.
import { messagesByField, validateRealServerInput } from "@lvs-panel/lvs";
import type { RealServerCreate } from "../api/types.ts";
import { type FormCheck, parseNumber } from "./formErrors.ts";

/** The dialog's state: text as typed; hostId "" for no managed host. */
export interface RealServerFormValues {
  address: string;
  port: string;
  weight: string;
  enabled: boolean;
  upperThreshold: string;
  lowerThreshold: string;
  hostId: string;
  /**
   * The health check's port for this realserver, "" for its own port; absent where the dialog
   * does not offer it (the ipvsadm engine), and then not sent, so the stored value stays.
   */
  checkPort?: string | undefined;
}

/**
 * The dialog fills every box in and sends every field. An emptied box becomes null, not absent:
 * the API would take an absent weight or threshold as "the default", and null makes the domain
 * give the field's own message instead. The check port is optional: empty is null, "its own port".
 */
export function realServerFormInput(values: RealServerFormValues) {
  const requiredNumber = (text: string) => parseNumber(text) ?? null;
  return {
    address: values.address.trim(),
    port: parseNumber(values.port),
    weight: requiredNumber(values.weight),
    enabled: values.enabled,
    upperThreshold: requiredNumber(values.upperThreshold),
    lowerThreshold: requiredNumber(values.lowerThreshold),
    hostId: values.hostId === "" ? null : values.hostId,
    ...(values.checkPort === undefined ? {} : { checkPort: parseNumber(values.checkPort) ?? null }),
  };
}

export function checkRealServerForm(values: RealServerFormValues): FormCheck<RealServerCreate> {
  const input = realServerFormInput(values);
  const issues = validateRealServerInput(input);
  if (issues.length > 0) return { ok: false, errors: messagesByField(issues) };
  return { ok: true, input: input as RealServerCreate };
}
