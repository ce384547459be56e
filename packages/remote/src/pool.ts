// One reusable SSH connection per host id: opened on first use, shared by concurrent commands (up to
// a per-connection channel limit), closed after sitting idle, replaced when the host's settings change.
import { createHash } from "node:crypto";
import { buildInvocation, buildShellInvocation, commandBody } from "./command.ts";
import {
  type ConnectOptions,
  connectValidated,
  type JumpLease,
  resolveConnectOptions,
  type SshConnection,
} from "./connect.ts";
import {
  ConnectionLostError,
  ConnectTimeoutError,
  InvalidCommandError,
  RemoteError,
} from "./errors.ts";
import { type ExecLimits, execOnConnection } from "./exec.ts";
import { createLimiter, type Limiter, type Settled, settleBounded } from "./limit.ts";
import { RemoteShell } from "./remote-shell.ts";
import type { Command, CommandResult, Runner, RunOptions } from "./runner.ts";
import { type SshTarget, validateTarget } from "./target.ts";

export interface SshPoolOptions extends ConnectOptions {
  /** Default per-command timeout. Default 60 s. */
  commandTimeoutMs?: number;
  /** Default cap on a command's stdout + stderr. Default 64 MiB. */
  maxOutputBytes?: number;
  /** Close a connection with no command for this long. Default 60 s. */
  idleTimeoutMs?: number;
  /** Concurrent commands on one connection. OpenSSH refuses channels beyond MaxSessions (10). */
  maxChannelsPerHost?: number;
}

export type HostOutcome<T> = Settled<SshTarget, T>;

/** What the pool went through since it was made (for monitoring), failures by error code. */
export interface SshPoolStats {
  /** Connections open or being opened. */
  connections: number;
  /** Connections attempted (jump hosts included). */
  connects: number;
  connectFailures: Record<string, number>;
  /** Commands that failed in the SSH layer once connected (timeouts, lost connections…). */
  commandFailures: Record<string, number>;
}

/** A runner whose commands share one remote shell (see RemoteShell); close it when done. */
export interface ShellSession extends Runner {
  close(): Promise<void>;
}

interface Entry {
  /** Digest of the target's settings: a changed address, key or pin means a new connection. */
  signature: string;
  conn: Promise<SshConnection>;
  /** Set once `conn` resolves, so liveness can be checked synchronously. */
  opened: SshConnection | undefined;
  limiter: Limiter;
  /** When the connect began (performance.now()): a caller joining it late may try afresh. */
  startedAt: number;
  /** Running commands plus tunnelled connections leaning on this one as their jump host. */
  busy: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

/** A caller joining a connect this much after it began, or with this much budget left, retries. */
const LATE_JOIN_MS = 1000;

export class SshPool {
  readonly #entries = new Map<string, Entry>();
  readonly #connect: ReturnType<typeof resolveConnectOptions>;
  readonly #commandTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #maxOutputBytes: number;
  readonly #maxChannels: number;
  readonly #stats = {
    connects: 0,
    connectFailures: new Map<string, number>(),
    commandFailures: new Map<string, number>(),
  };

  constructor(opts: SshPoolOptions = {}) {
    this.#connect = resolveConnectOptions(opts);
    this.#commandTimeoutMs = opts.commandTimeoutMs ?? 60_000;
    this.#idleTimeoutMs = opts.idleTimeoutMs ?? 60_000;
    this.#maxOutputBytes = opts.maxOutputBytes ?? 64 * 1024 * 1024;
    this.#maxChannels = opts.maxChannelsPerHost ?? 8;
  }

  /** Connections open or being opened. */
  get size(): number {
    return this.#entries.size;
  }

  stats(): SshPoolStats {
    return {
      connections: this.#entries.size,
      connects: this.#stats.connects,
      connectFailures: Object.fromEntries(this.#stats.connectFailures),
      commandFailures: Object.fromEntries(this.#stats.commandFailures),
    };
  }

  #countFailure(kind: Map<string, number>, err: unknown): void {
    const code = err instanceof RemoteError ? err.code : "OTHER";
    kind.set(code, (kind.get(code) ?? 0) + 1);
  }

  runner(target: SshTarget): Runner {
    return { run: (cmd, opts) => this.run(target, cmd, opts) };
  }

  async run(target: SshTarget, cmd: Command, opts: RunOptions = {}): Promise<CommandResult> {
    // Everything is validated before a connection is opened for it.
    const inv = buildInvocation(cmd, { sudo: target.sudo, stdin: opts.stdin });
    const limits = this.#limits(opts);
    const held = await this.#connected(target);
    const { entry, conn } = held;
    try {
      return await entry.limiter.run(() => execOnConnection(conn, inv, limits));
    } catch (err) {
      this.#countFailure(this.#stats.commandFailures, err);
      this.#forgetIfLost(target, entry, err);
      throw err;
    } finally {
      this.#release(target.id, entry);
    }
  }

  /**
   * The host's connection, held (busy) until `#release`. A caller that joined a connect already
   * under way, which then failed, gets one fresh attempt within what is left of its own budget:
   * a probe that began while the host was down must not fail a command issued after it came back.
   */
  async #connected(target: SshTarget): Promise<{ entry: Entry; conn: SshConnection }> {
    const joinedAt = performance.now();
    const entry = this.#hold(this.#acquire(target));
    try {
      return { entry, conn: await entry.conn };
    } catch (err) {
      this.#release(target.id, entry);
      const left = joinedAt + this.#connect.connectTimeoutMs - performance.now();
      const joinedLate = joinedAt - entry.startedAt >= LATE_JOIN_MS;
      if (!joinedLate || left < LATE_JOIN_MS) throw err;
      if (this.#entries.get(target.id) === entry) this.#entries.delete(target.id);
      const fresh = this.#hold(this.#acquire(target, Math.round(left)));
      try {
        return { entry: fresh, conn: await fresh.conn };
      } catch (again) {
        this.#release(target.id, fresh);
        throw again;
      }
    }
  }

  #hold(entry: Entry): Entry {
    entry.busy++;
    clearTimeout(entry.idleTimer);
    return entry;
  }

  #release(hostId: string, entry: Entry): void {
    entry.busy--;
    if (entry.busy === 0) this.#scheduleIdleClose(hostId, entry);
  }

  /**
   * A runner for a series of commands on one host that share one remote shell: after the first,
   * each costs one write and one read instead of a new exec (see RemoteShell). Commands run one
   * at a time, in call order. The shell holds one of the connection's channels until `close()`,
   * or until it has sat idle as long as a connection may; a shell that died (timeout, dropped
   * connection) is replaced by a new one on the next command. A command runs as its own exec
   * instead when it has `stdin`, after `close()`, or when taking a channel for a shell would
   * leave none free for other commands to the host (live views, previews).
   */
  session(target: SshTarget): ShellSession {
    validateTarget(target);
    let current: { shell: RemoteShell; release: () => void } | null = null;
    let queue: Promise<unknown> = Promise.resolve();
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const endShell = async () => {
      const open = current;
      current = null;
      if (!open) return;
      await open.shell.close();
      open.release();
    };
    /** A new shell, or null when no channel can be spared for one. */
    const start = async () => {
      if (this.#acquire(target).limiter.active >= this.#maxChannels - 1) return null;
      const { entry, conn } = await this.#connected(target);
      let releaseSlot: (() => void) | undefined;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        releaseSlot?.();
        this.#release(target.id, entry);
      };
      try {
        // The shell keeps a channel for its whole life: it counts against the per-host limit.
        releaseSlot = await entry.limiter.acquire();
        const shell = await RemoteShell.open(
          conn,
          buildShellInvocation({ sudo: target.sudo }),
          this.#connect.connectTimeoutMs,
        );
        void shell.ended.then(release);
        return { shell, release };
      } catch (err) {
        release();
        // As for an exec: a connection that cannot start a channel is dead.
        this.#forgetIfLost(target, entry, err);
        throw err;
      }
    };
    const runOne = async (cmd: Command, opts: RunOptions): Promise<CommandResult> => {
      if (opts.stdin !== undefined || closed) return this.run(target, cmd, opts);
      const body = commandBody(cmd);
      const limits = this.#limits(opts);
      clearTimeout(idleTimer);
      if (!current?.shell.isOpen) {
        await endShell();
        current = await start();
        if (!current) return this.run(target, cmd, opts);
      }
      try {
        // A shell that died is replaced on the next command; the connection is the pool's to
        // judge (it forgets one that closed), since other commands may be using it.
        return await current.shell.run(body, limits);
      } catch (err) {
        this.#countFailure(this.#stats.commandFailures, err);
        throw err;
      } finally {
        idleTimer = setTimeout(() => void endShell(), this.#idleTimeoutMs);
        idleTimer.unref();
      }
    };
    return {
      run: (cmd, opts = {}) => {
        const result = queue.then(() => runOne(cmd, opts));
        queue = result.catch(() => undefined);
        return result;
      },
      close: async () => {
        closed = true;
        await queue;
        clearTimeout(idleTimer);
        await endShell();
      },
    };
  }

  #limits(opts: RunOptions): ExecLimits {
    const timeoutMs = opts.timeoutMs ?? this.#commandTimeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new InvalidCommandError("timeoutMs must be a positive number", { field: "timeoutMs" });
    }
    const maxOutputBytes = opts.maxOutputBytes ?? this.#maxOutputBytes;
    if (!(maxOutputBytes > 0)) {
      throw new InvalidCommandError("maxOutputBytes must be positive", { field: "maxOutputBytes" });
    }
    // A host gets as long to start a command on an open connection as to connect at all.
    return { timeoutMs, maxOutputBytes, openTimeoutMs: this.#connect.connectTimeoutMs };
  }

  /**
   * A connection that can no longer start commands is dead even if ssh2 never said so: forget
   * it, so the next command connects afresh instead of failing the same way.
   */
  #forgetIfLost(target: SshTarget, entry: Entry, err: unknown): void {
    const gone = err instanceof ConnectionLostError || err instanceof ConnectTimeoutError;
    if (gone && this.#entries.get(target.id) === entry) {
      this.#entries.delete(target.id);
      entry.opened?.close();
    }
  }

  /** Runs `fn` once per host, at most `concurrency` hosts at a time; failures are per host. */
  runOnHosts<T>(
    hosts: readonly SshTarget[],
    fn: (runner: Runner, host: SshTarget) => Promise<T>,
    opts: { concurrency?: number } = {},
  ): Promise<HostOutcome<T>[]> {
    return settleBounded(hosts, opts.concurrency ?? 4, (host) => fn(this.runner(host), host));
  }

  async close(hostId: string): Promise<void> {
    const entry = this.#entries.get(hostId);
    if (!entry) return;
    this.#entries.delete(hostId);
    await shutDown(entry);
  }

  async closeAll(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map(shutDown));
  }

  /** The host's entry, connecting if needed (within `connectTimeoutMs`, default the pool's). */
  #acquire(target: SshTarget, connectTimeoutMs?: number): Entry {
    validateTarget(target);
    const signature = createHash("sha256").update(JSON.stringify(target)).digest("hex");
    const current = this.#entries.get(target.id);
    // A connection that dropped (keepalive, peer restart) is replaced rather than reused.
    const alive = current?.opened === undefined || current.opened.isOpen();
    if (current && current.signature === signature && alive) return current;
    if (current) {
      // Settings changed: new commands get a new connection; the old one ends when it falls idle.
      this.#entries.delete(target.id);
      this.#scheduleIdleClose(target.id, current);
    }
    const entry: Entry = {
      signature,
      // Jump hosts come from this pool too: ten realservers behind one director share one
      // director connection (one direct-tcpip channel each) instead of opening ten.
      conn: connectValidated(
        target,
        connectTimeoutMs === undefined ? this.#connect : { ...this.#connect, connectTimeoutMs },
        (jump) => this.#leaseJump(jump),
      ),
      opened: undefined,
      limiter: createLimiter(this.#maxChannels),
      startedAt: performance.now(),
      busy: 0,
      idleTimer: undefined,
    };
    this.#entries.set(target.id, entry);
    this.#stats.connects++;
    const forget = () => {
      if (this.#entries.get(target.id) === entry) this.#entries.delete(target.id);
    };
    // A failed connect is not cached (the next command retries); a dropped one is forgotten.
    entry.conn.then(
      (conn) => {
        entry.opened = conn;
        return conn.closed.then(forget);
      },
      (err: unknown) => {
        this.#countFailure(this.#stats.connectFailures, err);
        forget();
      },
    );
    return entry;
  }

  async #leaseJump(jump: SshTarget): Promise<JumpLease> {
    const entry = this.#acquire(jump);
    entry.busy++;
    clearTimeout(entry.idleTimer);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      entry.busy--;
      if (entry.busy === 0) this.#scheduleIdleClose(jump.id, entry);
    };
    try {
      return { conn: await entry.conn, release };
    } catch (err) {
      release();
      throw err;
    }
  }

  #scheduleIdleClose(hostId: string, entry: Entry): void {
    clearTimeout(entry.idleTimer);
    const retired = this.#entries.get(hostId) !== entry;
    if (retired && entry.busy === 0) {
      void shutDown(entry);
      return;
    }
    entry.idleTimer = setTimeout(() => {
      if (entry.busy > 0) return;
      if (this.#entries.get(hostId) === entry) this.#entries.delete(hostId);
      void shutDown(entry);
    }, this.#idleTimeoutMs);
    // An idle connection must not keep the process alive.
    entry.idleTimer.unref();
  }
}

async function shutDown(entry: Entry): Promise<void> {
  clearTimeout(entry.idleTimer);
  try {
    const conn = await entry.conn;
    conn.close();
    await conn.closed;
  } catch {
    // A connection that never opened has nothing to close.
  }
}
