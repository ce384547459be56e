// The shared setup of the pool tests: one real sshd on loopback with generated client keys and
// the local test user, every pool a test made closed after it, and a root target on that sshd.
import { rm } from "node:fs/promises";
import { afterAll, afterEach, beforeAll } from "vitest";
import { SshPool, type SshTarget } from "../src/index.ts";
import { type ClientKeys, ensureTestUser, makeClientKeys, type Sshd, startSshd } from "./sshd.ts";

export interface PoolFixture {
  readonly keys: ClientKeys;
  readonly sshd: Sshd;
  /** The test user's password. */
  readonly password: string;
  /** A pool with a 5 s connect timeout, closed after the test. */
  newPool(opts?: ConstructorParameters<typeof SshPool>[0]): SshPool;
  /** root on the fixture's sshd, by key, with its host key pinned. */
  target(over?: Partial<SshTarget>): SshTarget;
}

/** Registers the hooks; call at the top of a test file. */
export function usePoolFixture(): PoolFixture {
  let keys: ClientKeys | undefined;
  let sshd: Sshd | undefined;
  let password: string | undefined;
  const pools: SshPool[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the pool fixture is not set up yet");
    return value;
  };

  beforeAll(async () => {
    keys = await makeClientKeys();
    password = await ensureTestUser();
    sshd = await startSshd({ authorizedKeys: keys.authorizedKeys });
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.closeAll()));
  });
  afterAll(async () => {
    await sshd?.stop();
    if (keys) await rm(keys.dir, { recursive: true, force: true });
  });

  return {
    get keys() {
      return ready(keys);
    },
    get sshd() {
      return ready(sshd);
    },
    get password() {
      return ready(password);
    },
    newPool(opts = {}) {
      const pool = new SshPool({ connectTimeoutMs: 5000, ...opts });
      pools.push(pool);
      return pool;
    },
    target(over = {}) {
      return {
        id: "director-1",
        address: "127.0.0.1",
        port: ready(sshd).port,
        username: "root",
        auth: { type: "key", privateKey: ready(keys).ed25519 },
        hostKeyFingerprint: ready(sshd).fingerprint,
        ...over,
      };
    },
  };
}
