// Typed failures of the SSH layer. Each carries a stable `code` the API maps to a status and the UI
// to a message, and (where a form field is at fault) the `field` to show it next to.

export type RemoteErrorCode =
  | "SSH_AUTH_FAILED"
  | "SSH_CONNECT_TIMEOUT"
  | "SSH_HOST_UNREACHABLE"
  | "SSH_HOST_KEY_MISMATCH"
  | "SSH_HOST_KEY_NOT_TRUSTED"
  | "SSH_COMMAND_TIMEOUT"
  | "SSH_OUTPUT_TOO_LARGE"
  | "SSH_KEY_FORMAT"
  | "SSH_INVALID_TARGET"
  | "SSH_INVALID_COMMAND"
  | "SSH_CONNECTION_LOST";

export abstract class RemoteError extends Error {
  abstract readonly code: RemoteErrorCode;
  /** The host (target id or address) the failure is about, when there is one. */
  readonly host: string | undefined;
  /** The input field at fault, for errors a form can point at. */
  readonly field: string | undefined;

  constructor(message: string, opts: { host?: string; field?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.host = opts.host;
    this.field = opts.field;
  }
}

export class AuthFailedError extends RemoteError {
  readonly code = "SSH_AUTH_FAILED";
}

export class ConnectTimeoutError extends RemoteError {
  readonly code = "SSH_CONNECT_TIMEOUT";
}

export class HostUnreachableError extends RemoteError {
  readonly code = "SSH_HOST_UNREACHABLE";
}

export class HostKeyMismatchError extends RemoteError {
  readonly code = "SSH_HOST_KEY_MISMATCH";
  constructor(
    readonly hostLabel: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `host key of ${hostLabel} changed: expected ${expected}, got ${actual}. ` +
        "Refusing to connect; if the host was reinstalled, verify and pin the new key.",
      { host: hostLabel, field: "hostKeyFingerprint" },
    );
  }
}

export class HostKeyNotTrustedError extends RemoteError {
  readonly code = "SSH_HOST_KEY_NOT_TRUSTED";
  constructor(
    readonly hostLabel: string,
    readonly actual: string,
  ) {
    super(
      `host key of ${hostLabel} (${actual}) is not pinned; scan and confirm it before connecting`,
      { host: hostLabel, field: "hostKeyFingerprint" },
    );
  }
}

export class CommandTimeoutError extends RemoteError {
  readonly code = "SSH_COMMAND_TIMEOUT";
  constructor(
    hostLabel: string,
    readonly timeoutMs: number,
    /** Output received before the command was killed; often says where it hung. */
    readonly partial: { stdout: string; stderr: string },
  ) {
    super(`command on ${hostLabel} did not finish within ${timeoutMs} ms and was killed`, {
      host: hostLabel,
    });
  }
}

export class OutputTooLargeError extends RemoteError {
  readonly code = "SSH_OUTPUT_TOO_LARGE";
  constructor(
    hostLabel: string,
    readonly limitBytes: number,
  ) {
    super(`command on ${hostLabel} wrote more than ${limitBytes} bytes and was killed`, {
      host: hostLabel,
    });
  }
}

export class KeyFormatError extends RemoteError {
  readonly code = "SSH_KEY_FORMAT";
}

export class InvalidTargetError extends RemoteError {
  readonly code = "SSH_INVALID_TARGET";
}

export class InvalidCommandError extends RemoteError {
  readonly code = "SSH_INVALID_COMMAND";
}

export class ConnectionLostError extends RemoteError {
  readonly code = "SSH_CONNECTION_LOST";
  /** Output received before the connection went, when a command had started: says how far it got. */
  readonly partial: { stdout: string; stderr: string } | undefined;

  constructor(
    message: string,
    opts: {
      host?: string;
      cause?: unknown;
      partial?: { stdout: string; stderr: string };
    } = {},
  ) {
    super(message, opts);
    this.partial = opts.partial;
  }
}
