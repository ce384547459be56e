// Failures a service reports, as values: what went wrong (a kind, a stable code, a message and,
// for bad input, the fields at fault), not how HTTP spells it. plugins/errors.ts maps the kinds
// to statuses; routes and plugins throw the same values.
import type { RemoteError } from "@lvs-panel/remote";

export type DomainErrorKind =
  /** The input breaks a rule; `fields` says where. */
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  /** The current state does not allow it (a duplicate, a running apply, a missing director). */
  | "conflict"
  | "rate_limited"
  /** A remote host failed or could not be reached. */
  | "host_failed"
  /** A remote host did not answer in time. */
  | "host_timeout";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export function notFound(what: string): DomainError {
  return new DomainError("not_found", "NOT_FOUND", `${what} not found`);
}

export function badField(field: string, reason: string): DomainError {
  return new DomainError("invalid", "VALIDATION", `${field}: ${reason}`, { [field]: reason });
}

export function conflict(message: string, fields?: Record<string, string>): DomainError {
  return new DomainError("conflict", "CONFLICT", message, fields);
}

const REMOTE_KINDS: Partial<Record<RemoteError["code"], DomainErrorKind>> = {
  SSH_CONNECT_TIMEOUT: "host_timeout",
  SSH_COMMAND_TIMEOUT: "host_timeout",
  // A host key that changed or was never confirmed is for the operator to settle, not a fault.
  SSH_HOST_KEY_MISMATCH: "conflict",
  SSH_HOST_KEY_NOT_TRUSTED: "conflict",
  SSH_INVALID_TARGET: "invalid",
  SSH_INVALID_COMMAND: "invalid",
  SSH_KEY_FORMAT: "invalid",
};

/** A failure of the SSH layer as a domain error, keeping its code; `message` may add context. */
export function hostFailure(err: RemoteError, message: string = err.message): DomainError {
  const kind = REMOTE_KINDS[err.code] ?? "host_failed";
  return new DomainError(kind, err.code, message);
}
