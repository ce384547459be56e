// The domain's verdict on an input as the API's answer: a 400 naming every field at fault, worded
// like the schema failures the error plugin reports ("port: must be from 1 to 65535").
import { type Issue, messagesByField } from "@lvs-panel/lvs";
import { DomainError } from "../errors.ts";

export function throwIfInvalid(issues: readonly Issue[]): void {
  if (issues.length === 0) return;
  const fields = messagesByField(issues);
  const message = Object.entries(fields)
    .map(([field, reason]) => `${field}: ${reason}`)
    .join("; ");
  throw new DomainError("invalid", "VALIDATION", message, fields);
}
