// Measures the SSH layer against a local sshd: handshake time, host key scan time, and commands per
// second over one pooled connection (sequential and concurrent). Run as root:
//   node --import tsx packages/remote/bench/pool-throughput.ts
import { rm } from "node:fs/promises";
import { connect, SshPool, type SshTarget, scanHostKey } from "../src/index.ts";
import { ensureTestUser, makeClientKeys, startSshd, TEST_USER } from "../test/sshd.ts";

const keys = await makeClientKeys();
const sshd = await startSshd({ authorizedKeys: keys.authorizedKeys });
const target: SshTarget = {
  id: "bench",
  address: "127.0.0.1",
  port: sshd.port,
  username: "root",
  auth: { type: "key", privateKey: keys.ed25519 },
  hostKeyFingerprint: sshd.fingerprint,
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

try {
  const handshakes: number[] = [];
  for (let i = 0; i < 10; i++) {
    handshakes.push(
      await time(async () => {
        const c = await connect(target);
        c.close();
        await c.closed;
      }),
    );
  }
  const scans: number[] = [];
  for (let i = 0; i < 10; i++) {
    scans.push(await time(() => scanHostKey({ address: "127.0.0.1", port: sshd.port })));
  }

  // Every exec starts the login shell; Debian's bash sources ~/.bashrc for SSH commands, so a
  // slow .bashrc (pyenv, nvm…) dominates. The /bin/sh user shows what the SSH layer itself costs.
  const plainUser: SshTarget = {
    ...target,
    id: "bench-sh",
    username: TEST_USER,
    auth: { type: "password", password: await ensureTestUser() },
  };
  const pool = new SshPool();
  const n = 200;
  const rates: string[] = [];
  for (const t of [target, plainUser]) {
    await pool.run(t, { argv: ["true"] });
    const seqMs = await time(async () => {
      for (let i = 0; i < n; i++) await pool.run(t, { argv: ["true"] });
    });
    const parMs = await time(() =>
      Promise.all(Array.from({ length: n }, () => pool.run(t, { argv: ["true"] }))),
    );
    rates.push(
      `${t.username}: ${n} commands on one connection: ` +
        `${(n / (seqMs / 1000)).toFixed(0)} cmd/s sequential, ` +
        `${(n / (parMs / 1000)).toFixed(0)} cmd/s with 8 channels`,
    );
  }
  await pool.closeAll();

  console.log(`connect + auth (ed25519), median of 10: ${median(handshakes).toFixed(1)} ms`);
  console.log(`scanHostKey, median of 10:              ${median(scans).toFixed(1)} ms`);
  for (const line of rates) console.log(line);
  console.log(`logins seen by sshd: ${sshd.logins()} (10 handshakes + 1 per pooled user)`);
} finally {
  await sshd.stop();
  await rm(keys.dir, { recursive: true, force: true });
}
