// What a failed plan or apply request means for the operator, and what they can do next.
import { ApiError } from "../../../api/client.ts";

export type NextStep = "retry" | "hosts" | "director" | "replan" | "none";

export interface FailureAdvice {
  title: string;
  message: string;
  hint: string;
  next: NextStep;
}

const HOST_KEY = new Set(["HOST_KEY_NOT_TRUSTED", "SSH_HOST_KEY_NOT_TRUSTED"]);
const UNREACHABLE = new Set([
  "SSH_CONNECT_TIMEOUT",
  "SSH_HOST_UNREACHABLE",
  "SSH_CONNECTION_LOST",
  "SSH_COMMAND_TIMEOUT",
  "REMOTE",
]);

export function describeFailure(error: unknown): FailureAdvice {
  if (!(error instanceof ApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { title: "Something went wrong", message, hint: "Try again.", next: "retry" };
  }
  const { code, message, status } = error;
  if (code === "FORBIDDEN") {
    return {
      title: "Read-only access",
      message,
      hint: "Plans and applies need the operator role.",
      next: "none",
    };
  }
  if (code === "NO_DIRECTOR") {
    return {
      title: "This cluster has no director yet",
      message,
      hint: "Set the director on the cluster page, then plan again.",
      next: "director",
    };
  }
  if (HOST_KEY.has(code)) {
    return {
      title: "A host key is not trusted yet",
      message,
      hint: "On the Hosts page, scan the host's SSH key, compare the fingerprint and trust it; then plan again.",
      next: "hosts",
    };
  }
  if (code === "SSH_HOST_KEY_MISMATCH") {
    return {
      title: "A host presents a different SSH key",
      message,
      hint: "The panel refuses to connect. If the host was reinstalled, scan and trust its new key on the Hosts page.",
      next: "hosts",
    };
  }
  if (code === "SSH_AUTH_FAILED" || code === "SSH_KEY_FORMAT") {
    return {
      title: "SSH login was refused",
      message,
      hint: "Check the host's user name and private key or password on the Hosts page.",
      next: "hosts",
    };
  }
  if (code === "CONFLICT" && error.fields.planHash === "stale") {
    return {
      title: "The plan is out of date",
      message: "The hosts or the cluster changed since this preview.",
      hint: "Re-plan to read the hosts again and review the new commands before applying.",
      next: "replan",
    };
  }
  if (code === "CONFLICT") {
    return {
      title: "Another apply is running",
      message,
      hint: "Wait for it to finish (see Apply history), then re-plan.",
      next: "replan",
    };
  }
  if (code === "INVALID_DESIRED_STATE") {
    return {
      title: "The cluster configuration has errors",
      message,
      hint: "Fix the errors shown under Validation, then plan again.",
      next: "none",
    };
  }
  if (code === "NETWORK") {
    return { title: "Cannot reach the panel", message, hint: "Try again.", next: "retry" };
  }
  if (UNREACHABLE.has(code) || status === 502 || status === 504) {
    return {
      title: status === 504 ? "A host did not answer in time" : "Could not talk to a host",
      message,
      hint: "Check that the host is up and reachable over SSH from the panel server, then try again.",
      next: "retry",
    };
  }
  return { title: "The request failed", message, hint: "Try again.", next: "retry" };
}
