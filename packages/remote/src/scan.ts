// First contact with a host: read its host key for a person to confirm and pin. No credentials for
// the host itself are sent — the verifier records the key and refuses, which ends the handshake.

import { connectValidated, handshake, openTunnel, resolveConnectOptions } from "./connect.ts";
import { ConnectionLostError } from "./errors.ts";
import { fingerprintOf, hostKeyAlgorithmsFor, keyTypeOf } from "./host-key.ts";
import {
  type SshTarget,
  targetLabel,
  targetPort,
  validateEndpoint,
  validateTarget,
} from "./target.ts";

export interface ScanRequest {
  address: string;
  port?: number;
  /** Scan through this (already pinned) host, as the real connections will go. */
  jump?: SshTarget;
  /** Ask for a key of this type (e.g. `ssh-rsa`); by default the one connections will get. */
  keyType?: string;
}

export interface ScannedHostKey {
  fingerprint: string;
  keyType: string;
}

export async function scanHostKey(
  req: ScanRequest,
  opts: { timeoutMs?: number } = {},
): Promise<ScannedHostKey> {
  validateEndpoint(req);
  if (req.jump) validateTarget(req.jump);
  const resolved = resolveConnectOptions({ connectTimeoutMs: opts.timeoutMs });
  const label = targetLabel(req);
  // One budget for the whole scan, jump host included, as for a connect.
  const deadline = performance.now() + resolved.connectTimeoutMs;
  const left = () => Math.max(1, Math.round(deadline - performance.now()));
  // A scan is rare and short: its own jump connection, closed when done.
  const jump = req.jump ? await connectValidated(req.jump, resolved) : undefined;
  try {
    const sock = jump ? await openTunnel(jump, req, left()) : undefined;
    let seen: Buffer | undefined;
    try {
      const client = await handshake({
        label,
        host: req.address,
        port: targetPort(req),
        sock,
        opts: resolved,
        readyTimeoutMs: left(),
        username: "scan",
        auth: undefined,
        hostKeyAlgorithms: hostKeyAlgorithmsFor(req.keyType),
        hostVerifier: (key) => {
          seen = key;
          return false;
        },
        hostKeyError: () => undefined,
      });
      client.end();
    } catch (err) {
      // The refusal we caused is the expected way out; anything before it is a real failure.
      if (seen === undefined) throw err;
    }
    if (seen === undefined) {
      throw new ConnectionLostError(`${label} presented no host key`, { host: label });
    }
    return { fingerprint: fingerprintOf(seen), keyType: keyTypeOf(seen) };
  } finally {
    jump?.close();
  }
}
