// What the panel knows about one SSH endpoint, and the checks that run before any byte is sent to it.
import { hostAddressSchema, portSchema, sshUsernameSchema } from "@lvs-panel/lvs";
import { InvalidTargetError } from "./errors.ts";
import { isFingerprint } from "./host-key.ts";

export type SshAuth =
  | { type: "key"; privateKey: string; passphrase?: string }
  | { type: "password"; password: string };

export interface SshTarget {
  /** Stable id (the database host id); the pool keeps one connection per id. */
  id: string;
  address: string;
  /** Defaults to 22. */
  port?: number;
  username: string;
  auth: SshAuth;
  /** Pinned `SHA256:…` host key fingerprint. Without one, connecting is refused. */
  hostKeyFingerprint?: string;
  /** Type of the pinned key (e.g. `ssh-ed25519`), so the server is asked for that key. */
  hostKeyType?: string;
  /** Run every command as `sudo -n -- sh …` (a non-root login with passwordless sudo). */
  sudo?: boolean;
  /** Reach this target through a TCP tunnel (direct-tcpip) opened on another SSH connection. */
  jump?: SshTarget;
}

/** Jump chains deeper than this are almost certainly a cycle in the stored configuration. */
const MAX_JUMP_DEPTH = 4;

export function targetPort(target: { port?: number | undefined }): number {
  return target.port ?? 22;
}

export function targetLabel(target: { address: string; port?: number | undefined }): string {
  const host = target.address.includes(":") ? `[${target.address}]` : target.address;
  return `${host}:${targetPort(target)}`;
}

/** The endpoint part, shared with scanHostKey (which has no credentials for the target itself). */
export function validateEndpoint(target: { address: string; port?: number | undefined }): void {
  const address = hostAddressSchema.safeParse(target.address);
  if (!address.success || address.data !== target.address) {
    throw new InvalidTargetError(`address ${JSON.stringify(target.address)} is not valid`, {
      field: "address",
    });
  }
  if (target.port !== undefined && !portSchema.safeParse(target.port).success) {
    throw new InvalidTargetError(`port ${String(target.port)} must be from 1 to 65535`, {
      field: "port",
    });
  }
}

export function validateTarget(target: SshTarget, seen: readonly string[] = []): void {
  if (seen.includes(target.id)) {
    throw new InvalidTargetError(`host ${target.id} appears twice in its own jump chain`, {
      field: "jump",
    });
  }
  if (seen.length > MAX_JUMP_DEPTH) {
    throw new InvalidTargetError(`jump chain deeper than ${MAX_JUMP_DEPTH} hosts (a cycle?)`, {
      field: "jump",
    });
  }
  validateEndpoint(target);
  const user = sshUsernameSchema.safeParse(target.username);
  if (!user.success || user.data !== target.username) {
    throw new InvalidTargetError(`user name ${JSON.stringify(target.username)} is not valid`, {
      field: "username",
    });
  }
  if (target.hostKeyFingerprint !== undefined && !isFingerprint(target.hostKeyFingerprint)) {
    throw new InvalidTargetError("host key fingerprint must look like SHA256:<43 base64 chars>", {
      field: "hostKeyFingerprint",
    });
  }
  if (target.jump) validateTarget(target.jump, [...seen, target.id]);
}
