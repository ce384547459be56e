// Opens one authenticated SSH connection (through a jump host when the target names one), with the
// pinned host key enforced at every hop, and turns ssh2's error levels into typed errors.
import type { Duplex } from "node:stream";
import { Client, type ConnectConfig } from "ssh2";
import {
  AuthFailedError,
  ConnectionLostError,
  ConnectTimeoutError,
  HostKeyMismatchError,
  HostKeyNotTrustedError,
  HostUnreachableError,
  type RemoteError,
} from "./errors.ts";
import { type HostKeyVerdict, hostKeyAlgorithmsFor, judgeHostKey } from "./host-key.ts";
import { assertPrivateKey } from "./private-key.ts";
import { type SshAuth, type SshTarget, targetLabel, targetPort, validateTarget } from "./target.ts";

export interface ConnectOptions {
  /** TCP connect + key exchange + auth, per hop. Default 10 s. */
  connectTimeoutMs?: number;
  /** SSH-level keepalives find dead peers that TCP would only notice after hours. Default 15 s. */
  keepaliveIntervalMs?: number;
}

export interface SshConnection {
  readonly client: Client;
  readonly label: string;
  /** Resolves once the connection is gone, whoever closed it. */
  readonly closed: Promise<void>;
  /** False once closed; a pool checks it before reusing the connection. */
  isOpen(): boolean;
  close(): void;
}

interface ResolvedOptions {
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
}

export function resolveConnectOptions(opts: ConnectOptions = {}): ResolvedOptions {
  return {
    connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
    keepaliveIntervalMs: opts.keepaliveIntervalMs ?? 15_000,
  };
}

const CLOSE_GRACE_MS = 2000;

/** A jump host connection lent to one tunnelled connection; `release` when that one closes. */
export interface JumpLease {
  conn: SshConnection;
  release(): void;
}

/** Supplies jump connections: a pool shares one per jump host, plain `connect` opens its own. */
export type JumpProvider = (jump: SshTarget) => Promise<JumpLease>;

export async function connect(target: SshTarget, opts?: ConnectOptions): Promise<SshConnection> {
  validateTarget(target);
  return connectValidated(target, resolveConnectOptions(opts));
}

function dedicatedJump(opts: ResolvedOptions): JumpProvider {
  return async (jump) => {
    const conn = await connectValidated(jump, opts);
    return { conn, release: () => conn.close() };
  };
}

/**
 * Connects to `target`, first obtaining its jump host connection and a tunnel through it. The
 * whole of it (jump host, tunnel, handshake and login) shares one connect timeout: a dead host
 * behind a jump host costs no more than one directly reached.
 */
export async function connectValidated(
  target: SshTarget,
  opts: ResolvedOptions,
  viaJump: JumpProvider = dedicatedJump(opts),
): Promise<SshConnection> {
  if (target.auth.type === "key") assertPrivateKey(target.auth.privateKey, target.auth.passphrase);
  const label = targetLabel(target);
  const deadline = performance.now() + opts.connectTimeoutMs;
  const left = () => Math.max(1, Math.round(deadline - performance.now()));
  const jump = target.jump
    ? await leaseWithin(viaJump, target.jump, label, left(), opts)
    : undefined;
  try {
    const sock = jump ? await openTunnel(jump.conn, target, left()) : undefined;
    let verdict: HostKeyVerdict | undefined;
    const client = await handshake({
      label,
      host: target.address,
      port: targetPort(target),
      sock,
      opts,
      readyTimeoutMs: left(),
      username: target.username,
      auth: target.auth,
      hostKeyAlgorithms: hostKeyAlgorithmsFor(target.hostKeyType),
      hostVerifier: (key) => {
        verdict = judgeHostKey(key, target.hostKeyFingerprint);
        return verdict.kind === "trusted";
      },
      hostKeyError: () => hostKeyError(label, verdict),
    });
    return wrapConnection(client, label, jump);
  } catch (err) {
    jump?.release();
    throw err;
  }
}

/** The jump host's connection, or a timeout once the connect budget is spent waiting for it. */
function leaseWithin(
  viaJump: JumpProvider,
  jump: SshTarget,
  label: string,
  timeoutMs: number,
  opts: ResolvedOptions,
): Promise<JumpLease> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(
        new ConnectTimeoutError(
          `${label}: no SSH session within ${opts.connectTimeoutMs} ms (its jump host ${targetLabel(jump)} did not connect in time)`,
          { host: label },
        ),
      );
    }, timeoutMs);
    viaJump(jump).then(
      (lease) => {
        clearTimeout(timer);
        if (late) lease.release();
        else resolve(lease);
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (!late) reject(err);
      },
    );
  });
}

function hostKeyError(label: string, verdict: HostKeyVerdict | undefined): RemoteError | undefined {
  if (verdict?.kind === "mismatch") {
    return new HostKeyMismatchError(label, verdict.expected, verdict.fingerprint);
  }
  if (verdict?.kind === "not-pinned") return new HostKeyNotTrustedError(label, verdict.fingerprint);
  return undefined;
}

function wrapConnection(client: Client, label: string, jump?: JumpLease): SshConnection {
  let open = true;
  const closed = new Promise<void>((resolve) => {
    let done = false;
    const gone = () => {
      open = false;
      if (done) return;
      done = true;
      // Hand the jump connection back (a dedicated one closes, a pooled one may idle out).
      jump?.release();
      resolve();
    };
    client.once("close", gone);
    // Through a jump host the transport is a forwarded channel: when the far sshd dies the channel
    // may only see EOF, so ssh2 emits "end" without ever emitting "close". Either means gone.
    client.once("end", gone);
  });
  return {
    client,
    label,
    closed,
    isOpen: () => open,
    close: () => {
      open = false;
      client.end();
      // A peer that stopped answering never completes the polite close; do not wait on it forever.
      setTimeout(() => client.destroy(), CLOSE_GRACE_MS).unref();
    },
  };
}

/** A direct-tcpip channel on the jump connection: the jump host dials the target for us. */
export function openTunnel(
  jump: SshConnection,
  target: { address: string; port?: number | undefined },
  timeoutMs: number,
): Promise<Duplex> {
  const label = targetLabel(target);
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(
        new ConnectTimeoutError(
          `${label}: jump host ${jump.label} could not reach it within ${timeoutMs} ms`,
          { host: label },
        ),
      );
    }, timeoutMs);
    const onStream = (err: Error | undefined, stream: Duplex) => {
      clearTimeout(timer);
      if (settled) {
        stream?.destroy();
        return;
      }
      settled = true;
      if (err) {
        reject(
          new HostUnreachableError(
            `${label} is unreachable from jump host ${jump.label}: ${err.message}`,
            { host: label, cause: err },
          ),
        );
      } else resolve(stream);
    };
    try {
      // The originator address is informational for the jump host's logs; nothing listens there.
      jump.client.forwardOut("127.0.0.1", 0, target.address, targetPort(target), onStream);
    } catch (err) {
      clearTimeout(timer);
      settled = true;
      reject(
        new ConnectionLostError(`jump host ${jump.label} connection is closed`, { cause: err }),
      );
    }
  });
}

export interface HandshakeParams {
  label: string;
  host: string;
  port: number;
  sock: Duplex | undefined;
  opts: ResolvedOptions;
  /** What is left of the connect timeout for this handshake; the whole timeout by default. */
  readyTimeoutMs?: number;
  username: string;
  auth: SshAuth | undefined;
  hostKeyAlgorithms: string[] | undefined;
  /** Synchronous: ssh2 calls it during key exchange, before any credential is sent. */
  hostVerifier: (key: Buffer) => boolean;
  /** The specific error when hostVerifier refused the key. */
  hostKeyError: () => RemoteError | undefined;
}

type Ssh2Error = Error & { level?: string; code?: string };

export function handshake(p: HandshakeParams): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const fail = (err: RemoteError) => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(err);
    };
    // Stays attached for the connection's life: an 'error' event without a listener would crash
    // the process. Later errors surface as a closed connection to whoever is using it.
    client.on("error", (err: Ssh2Error) => fail(mapConnectError(err, p)));
    client.once("close", () =>
      fail(
        p.hostKeyError() ??
          new HostUnreachableError(
            withJumpHint(`${p.label} closed the connection before SSH was ready`, p, "cut"),
            { host: p.label },
          ),
      ),
    );
    client.once("ready", () => {
      if (settled) return;
      settled = true;
      // Commands are small request/response exchanges; Nagle plus delayed ACKs would add ~40 ms
      // to each round trip.
      client.setNoDelay(true);
      resolve(client);
    });
    const config: ConnectConfig = {
      host: p.host,
      port: p.port,
      username: p.username,
      readyTimeout: p.readyTimeoutMs ?? p.opts.connectTimeoutMs,
      keepaliveInterval: p.opts.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      hostVerifier: p.hostVerifier,
    };
    if (p.sock) config.sock = p.sock;
    if (p.hostKeyAlgorithms) config.algorithms = { serverHostKey: p.hostKeyAlgorithms as never };
    if (p.auth?.type === "key") {
      config.privateKey = p.auth.privateKey;
      if (p.auth.passphrase) config.passphrase = p.auth.passphrase;
    } else if (p.auth?.type === "password") {
      const password = p.auth.password;
      config.password = password;
      // Servers with PAM often offer only keyboard-interactive; answer its prompts with the password.
      config.tryKeyboard = true;
      client.on("keyboard-interactive", (_name, _instr, _lang, prompts, finish) => {
        finish(prompts.map(() => password));
      });
    }
    try {
      client.connect(config);
    } catch (err) {
      fail(new ConnectionLostError(`${p.label}: ${(err as Error).message}`, { cause: err }));
    }
  });
}

/**
 * Said when a direct connection is cut during the handshake or never answers: the usual cause is
 * a host that is only reachable through another machine (a firewall or NAT in front of it).
 */
export const JUMP_HOST_HINT =
  "If this host is only reachable through another machine, set a jump host.";

/** Messages of ssh2 and the socket that mean the peer cut the connection before SSH was up. */
const CUT = /Connection lost before handshake|ECONNRESET|EPIPE|socket hang up/;

/** Adds the jump host hint to a failed direct connection (one through a jump host has one). */
function withJumpHint(message: string, p: HandshakeParams, how: "cut" | "silent"): string {
  if (p.sock !== undefined) return message;
  const what = how === "cut" ? ": the connection was cut during the SSH handshake." : ".";
  return `${message}${what} ${JUMP_HOST_HINT}`;
}

function mapConnectError(err: Ssh2Error, p: HandshakeParams): RemoteError {
  const keyError = p.hostKeyError();
  if (keyError) return keyError;
  const opts = { host: p.label, cause: err };
  const cut = CUT.test(`${err.code ?? ""} ${err.message}`);
  switch (err.level) {
    case "client-timeout":
      return new ConnectTimeoutError(
        withJumpHint(
          `${p.label}: no SSH session within ${p.opts.connectTimeoutMs} ms (TCP connect, handshake and login)`,
          p,
          "silent",
        ),
        opts,
      );
    case "client-authentication":
      return new AuthFailedError(
        `${p.label}: login as ${p.username} with ${p.auth?.type ?? "no credentials"} was rejected`,
        { ...opts, field: p.auth?.type === "password" ? "password" : "privateKey" },
      );
    case "client-socket":
    case "client-dns": {
      const message = `${p.label} is unreachable: ${err.code ?? err.message}`;
      return new HostUnreachableError(cut ? withJumpHint(message, p, "cut") : message, opts);
    }
    default: {
      const message = `${p.label}: SSH handshake failed: ${err.message}`;
      return new ConnectionLostError(cut ? withJumpHint(message, p, "cut") : message, opts);
    }
  }
}
