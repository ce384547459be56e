// Errors for one form: client-side schema failures and API error bodies land in the same place,
// next to the field they name, or at form level when no field on the form matches.
import { useCallback, useState } from "react";
import { isApiError } from "../api/client.ts";

export type FieldErrors = Record<string, string>;

/** A form's values checked before sending: the input to send, or the messages per field. */
export type FormCheck<T> = { ok: true; input: T } | { ok: false; errors: FieldErrors };

export interface FormErrors {
  fields: FieldErrors;
  form: string | null;
  /** Replaces the errors with a client-side check; returns true when there are none. */
  check: (errors: FieldErrors) => boolean;
  /** Shows an error thrown by a mutation. */
  showError: (error: unknown) => void;
  clearField: (name: string) => void;
  reset: () => void;
}

/** The part of a zod schema this module uses (the schemas come from @lvs-panel/lvs). */
interface Schema {
  safeParse(
    value: unknown,
  ): { success: true } | { success: false; error: { issues: { message: string }[] } };
}

/** The first message the schema gives for a value, or undefined when it is valid. */
export function validate(schema: Schema, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : (result.error.issues[0]?.message ?? "is not valid");
}

/** Collects the defined messages into a FieldErrors object. */
export function collect(entries: Record<string, string | undefined>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [name, message] of Object.entries(entries)) if (message) errors[name] = message;
  return errors;
}

/** "" → undefined (so "required" shows), otherwise a number (NaN fails the schema). */
export function parseNumber(input: string): number | undefined {
  const trimmed = input.trim();
  return trimmed === "" ? undefined : Number(trimmed);
}

/**
 * Where an error goes on a form: API field messages for fields the form has go next to them; the
 * rest (or the message, when nothing matches) goes at form level.
 */
export function splitError(
  error: unknown,
  fieldNames: readonly string[],
): { fields: FieldErrors; form: string | null } {
  if (!isApiError(error)) {
    return { fields: {}, form: error instanceof Error ? error.message : "Something went wrong." };
  }
  const fields: FieldErrors = {};
  const unmatched: string[] = [];
  for (const [name, message] of Object.entries(error.fields)) {
    if (fieldNames.includes(name)) fields[name] = message;
    else unmatched.push(`${name}: ${message}`);
  }
  if (Object.keys(fields).length === 0) return { fields, form: error.message };
  return { fields, form: unmatched.length > 0 ? unmatched.join("; ") : null };
}

export function useFormErrors(fieldNames: readonly string[]): FormErrors {
  const [fields, setFields] = useState<FieldErrors>({});
  const [form, setForm] = useState<string | null>(null);

  const check = useCallback((errors: FieldErrors) => {
    setFields(errors);
    setForm(null);
    return Object.keys(errors).length === 0;
  }, []);

  const showError = useCallback(
    (error: unknown) => {
      const split = splitError(error, fieldNames);
      setFields(split.fields);
      setForm(split.form);
    },
    [fieldNames],
  );

  const clearField = useCallback((name: string) => {
    setFields((old) => {
      if (!(name in old)) return old;
      const { [name]: _removed, ...rest } = old;
      return rest;
    });
  }, []);

  const reset = useCallback(() => {
    setFields({});
    setForm(null);
  }, []);

  return { fields, form, check, showError, clearField, reset };
}
