// A host that goes silent under an open connection (frozen, power lost, link down: nothing comes
// back, not even a TCP reset). The pool's connection still looks open; the next command must
// fail within the connect timeout, not hang until keepalives or the command timeout notice.
import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { ConnectTimeoutError } from "../src/index.ts";
import { usePoolFixture } from "./pool-fixture.ts";
import { type Sshd, startSshd } from "./sshd.ts";

const run = promisify(execFile);
const fixture = usePoolFixture();
let own: Sshd | undefined;
let frozen: number[] = [];

/** The sshd listener and every process under it (one monitor and session per connection). */
async function sshdTree(sshd: Sshd): Promise<number[]> {
  const root = Number((await readFile(path.join(sshd.dir, "sshd.pid"), "utf8")).trim());
  const all = [root];
  for (let i = 0; i < all.length; i++) {
    const children = await run("pgrep", ["-P", String(all[i])]).catch(() => ({ stdout: "" }));
    all.push(...children.stdout.split(/\s+/).filter(Boolean).map(Number));
  }
  return all;
}

function signal(pids: number[], sig: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // gone already
    }
  }
}

afterAll(async () => {
  signal(frozen, "SIGCONT");
  await own?.stop();
  if (own) await rm(own.dir, { recursive: true, force: true });
});

it("a command on a connection to a host that stopped answering fails within the connect timeout, and the next connects afresh", async () => {
  own = await startSshd({ authorizedKeys: fixture.keys.authorizedKeys });
  const pool = fixture.newPool({ connectTimeoutMs: 1500, commandTimeoutMs: 60_000 });
  const t = fixture.target({ id: "silent", port: own.port, hostKeyFingerprint: own.fingerprint });
  const session = pool.session(t);
  expect((await pool.run(t, { argv: ["true"] })).code).toBe(0);
  expect((await session.run({ script: "echo up" })).stdout).toBe("up\n");
  await session.close();

  frozen = await sshdTree(own);
  signal(frozen, "SIGSTOP");
  const started = performance.now();
  const err = await pool.run(t, { argv: ["true"] }).catch((e: unknown) => e);
  const waited = performance.now() - started;
  expect(err).toBeInstanceOf(ConnectTimeoutError);
  expect((err as Error).message).toMatch(/did not answer within 1500 ms/);
  // Bounded by the connect timeout (plus scheduling), far below the 60 s command timeout.
  expect(waited).toBeGreaterThanOrEqual(1400);
  expect(waited).toBeLessThan(10_000);
  // A new shell on the same host fails the same way.
  const again = await pool
    .session(t)
    .run({ script: "true" })
    .catch((e: unknown) => e);
  expect(again).toBeInstanceOf(ConnectTimeoutError);

  signal(frozen, "SIGCONT");
  frozen = [];
  // The dead connection was dropped: the next command connects again and works.
  expect((await pool.run(t, { argv: ["echo", "back"] })).stdout).toBe("back\n");
}, 60_000);
