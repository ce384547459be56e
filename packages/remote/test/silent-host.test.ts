// A host that goes silent under an open connection (frozen, power lost, link down: nothing comes
// back, not even a TCP reset). The pool's connection still looks open; the next command must
// fail within the connect timeout, not hang until keepalives or the command timeout notice.
import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
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

it("a command issued after the host came back does not inherit a connect that began while it was down", async () => {
  // A front for the sshd: while `down`, it accepts TCP and then says nothing (the SYN got through
  // before the host froze, or the link came back mid-handshake); once up, it forwards.
  let down = true;
  const held: Socket[] = [];
  const front = createServer((client) => {
    held.push(client);
    if (down) return;
    const upstream = connect(fixture.sshd.port, "127.0.0.1");
    held.push(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  const { port } = front.address() as AddressInfo;
  try {
    const pool = fixture.newPool({ connectTimeoutMs: 2500 });
    const t = fixture.target({ id: "returning", port });
    // A background probe starts connecting while the host is down…
    const probe = pool.run(t, { argv: ["true"] }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // …the host comes back, and an operator's command arrives while that connect still waits.
    down = false;
    const started = performance.now();
    const result = await pool.run(t, { argv: ["echo", "back"] });
    expect(result.stdout).toBe("back\n");
    // The probe's connect still failed on its own budget; the command had its own.
    expect(await probe).toBeInstanceOf(ConnectTimeoutError);
    expect(performance.now() - started).toBeLessThan(2500 + 500);
  } finally {
    for (const s of held) s.destroy();
    await new Promise((resolve) => front.close(resolve));
  }
}, 30_000);
