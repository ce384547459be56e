// Errors for one form: client-side schema failures and API error bodies land in the same place,
// next to the field they name, or at form level when no field on the form matches.
import { useCallback, useRef, useState } from "react";
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

/** A form's values and its own check, so errors follow the fields as they are edited. */
export interface LiveCheck {
  /** The values by field name, as typed (any shape: text, numbers, lists of flags). */
  values: Readonly<Record<string, unknown>>;
  /** The form's client-side check of the current values: a message per field at fault. */
  validate: () => FieldErrors;
}

const valueKey = (value: unknown) => JSON.stringify(value) ?? "undefined";

/**
 * The errors to show now. An error stays as shown while its field holds the value it was given
 * for; once the field is edited, the form's own check says again: nothing (it is valid now, so
 * the error goes), or its new message. An API error (one the check cannot make) goes as soon as
 * its field changes. Fields the check does not know keep their error until the next submit.
 */
export function liveFieldErrors(
  shown: FieldErrors,
  shownFor: Readonly<Record<string, string>>,
  live: LiveCheck | undefined,
): FieldErrors {
  if (!live) return shown;
  let current: FieldErrors | undefined;
  const out: FieldErrors = {};
  for (const [name, message] of Object.entries(shown)) {
    if (!(name in live.values) || valueKey(live.values[name]) === shownFor[name]) {
      out[name] = message;
      continue;
    }
    current ??= live.validate();
    const now = current[name];
    if (now) out[name] = now;
  }
  return out;
}

/**
 * `live`: the form's values and check; with them an error clears as soon as its field is valid
 * (and changes with it while it is not), without waiting for the next submit.
 */
export function useFormErrors(fieldNames: readonly string[], live?: LiveCheck): FormErrors {
  const [shown, setShown] = useState<{ fields: FieldErrors; for: Record<string, string> }>({
    fields: {},
    for: {},
  });
  const [form, setForm] = useState<string | null>(null);
  // The values as they are when errors are set, read from this render's `live`.
  const values = useRef(live?.values);
  values.current = live?.values;

  const show = useCallback((fields: FieldErrors) => {
    const at: Record<string, string> = {};
    for (const name of Object.keys(fields)) at[name] = valueKey(values.current?.[name]);
    setShown({ fields, for: at });
  }, []);

  const check = useCallback(
    (errors: FieldErrors) => {
      show(errors);
      setForm(null);
      return Object.keys(errors).length === 0;
    },
    [show],
  );

  const showError = useCallback(
    (error: unknown) => {
      const split = splitError(error, fieldNames);
      show(split.fields);
      setForm(split.form);
    },
    [fieldNames, show],
  );

  const clearField = useCallback((name: string) => {
    setShown((old) => {
      if (!(name in old.fields)) return old;
      const { [name]: _removed, ...rest } = old.fields;
      return { fields: rest, for: old.for };
    });
  }, []);

  const reset = useCallback(() => {
    setShown({ fields: {}, for: {} });
    setForm(null);
  }, []);

  const fields = liveFieldErrors(shown.fields, shown.for, live);
  return { fields, form, check, showError, clearField, reset };
}
