// SSH failures are the remote host's problem, not the panel's: they map to 502/504 with the
// message from the SSH layer (which says what went wrong and where), never to a masked 500.
import { RemoteError } from "@lvs-panel/remote";
import { ApiError } from "./api-error.ts";

const STATUS: Record<string, number> = {
  SSH_CONNECT_TIMEOUT: 504,
  SSH_COMMAND_TIMEOUT: 504,
  SSH_HOST_KEY_MISMATCH: 409,
  SSH_HOST_KEY_NOT_TRUSTED: 409,
  SSH_INVALID_TARGET: 400,
  SSH_INVALID_COMMAND: 400,
  SSH_KEY_FORMAT: 400,
  SSH_AUTH_FAILED: 502,
  SSH_CONNECTION_LOST: 502,
  SSH_OUTPUT_TOO_LARGE: 502,
};

export function toApiError(err: unknown): unknown {
  if (!(err instanceof RemoteError)) return err;
  return new ApiError(STATUS[err.code] ?? 502, err.code, err.message);
}
