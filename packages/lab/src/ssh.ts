// SSH into the lab with ssh2: one long-lived connection to the director (handshakes cost ~0.7 s
// under TCG) and tunnelled connections to the realservers' own sshds through it. Host keys are
// pinned to the fingerprints of the keys the lab generated, never trusted on first use.
import type { Duplex } from "node:stream";
import { Client } from "ssh2";
import { fingerprintOfBlob } from "./fingerprint.ts";

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface LabSshTarget {
  readonly host: string;
  readonly port: number;
  readonly privateKey: string;
  readonly hostFingerprint: string;
  /** An already-open stream to the target's sshd (a tunnel through the director). */
  readonly sock?: Duplex;
  readonly readyTimeoutMs?: number;
}

export class LabSsh {
  private closed = false;

  private constructor(private readonly client: Client) {
    client.once("close", () => {
      this.closed = true;
    });
  }

  static connect(target: LabSshTarget): Promise<LabSsh> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      let presented: string | undefined;
      let settled = false;
      client.once("ready", () => {
        settled = true;
        resolve(new LabSsh(client));
      });
      // ssh2 can emit several errors for one failure, and more after "ready" (a dropped link);
      // a persistent listener keeps them from crashing the process. Late errors end in "close".
      client.on("error", (error) => {
        if (settled) return;
        settled = true;
        client.end();
        reject(
          presented !== undefined && presented !== target.hostFingerprint
            ? new Error(
                `host key of ${target.host}:${target.port} is ${presented}, expected ${target.hostFingerprint}`,
              )
            : error,
        );
      });
      client.connect({
        host: target.host,
        port: target.port,
        sock: target.sock,
        username: "root",
        privateKey: target.privateKey,
        readyTimeout: target.readyTimeoutMs ?? 20_000,
        keepaliveInterval: 15_000,
        hostVerifier: (key: Buffer) => {
          presented = fingerprintOfBlob(key);
          return presented === target.hostFingerprint;
        },
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Runs `script` with the remote root's login shell (`$SHELL -c script`). */
  exec(script: string): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(script, (error, stream) => {
        if (error) return reject(error);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let code = -1;
        stream.on("data", (chunk: Buffer) => out.push(chunk));
        stream.stderr.on("data", (chunk: Buffer) => err.push(chunk));
        stream.on("exit", (exitCode: number | null, signal?: string) => {
          code = exitCode ?? (signal === undefined ? -1 : 128);
        });
        stream.on("close", () =>
          resolve({
            code,
            stdout: Buffer.concat(out).toString("utf8"),
            stderr: Buffer.concat(err).toString("utf8"),
          }),
        );
      });
    });
  }

  /** A direct-tcpip channel: the director dials `host:port` for us (the jump-host hop). */
  tunnel(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut("127.0.0.1", 0, host, port, (error, stream) =>
        error ? reject(error) : resolve(stream),
      );
    });
  }

  close(): void {
    this.closed = true;
    this.client.end();
  }
}
