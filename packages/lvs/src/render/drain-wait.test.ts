// The drain wait's awk against ipvsadm -Ln text, run by the host's own sh and awk with a stand-in
// `ipvsadm` that prints a listing (the lab's e2e runs it on the director's real one).
import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDrainWait } from "./drain-wait.ts";

const run = promisify(execFile);
let dir = "";

const LISTING = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  192.168.77.100:80 rr
  -> 10.10.0.11:80                Route   1      4          0
  -> 10.10.0.12:80                Route   0      ACTIVE     9
TCP  [2001:db8::10]:443 wrr
  -> [2001:db8::12]:443           Route   0      ACTIVE6    0
FWM  7 rr
  -> 10.10.0.12:0                 Route   0      0          0
`;

async function waitWith(
  active: string,
  active6: string,
  endpoints: Parameters<typeof renderDrainWait>[0],
) {
  await writeFile(
    path.join(dir, "ipvsadm"),
    `#!/bin/sh\ncat <<'EOF'\n${LISTING.replace("ACTIVE6", active6).replace("ACTIVE", active)}EOF\n`,
  );
  await chmod(path.join(dir, "ipvsadm"), 0o755);
  const started = performance.now();
  const { stdout } = await run("sh", ["-c", renderDrainWait(endpoints, 1)], {
    env: { PATH: `${dir}:/usr/bin:/bin` },
  });
  return { out: stdout.trim(), ms: performance.now() - started };
}

const http = { protocol: "tcp" as const, vip: "192.168.77.100", port: 80 };
const v6 = { protocol: "tcp" as const, vip: "2001:db8::10", port: 443 };

describe("renderDrainWait", () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "drain-wait-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns at once when the leaving realservers have no active connection", async () => {
    const r = await waitWith("0", "0", [
      { service: http, address: "10.10.0.12", port: 80 },
      { service: v6, address: "2001:db8::12", port: 443 },
      { service: { ...http, fwmark: 7, port: 0 }, address: "10.10.0.12", port: 0 },
    ]);
    expect(r.out).toBe("drained after 0s");
  });

  it("counts only the listed realservers of their own service, and gives up at the cap", async () => {
    // 10.10.0.11 has 4 active, but it is not leaving.
    const ignored = await waitWith("0", "0", [{ service: http, address: "10.10.0.12", port: 80 }]);
    expect(ignored.out).toBe("drained after 0s");
    const busy = await waitWith("3", "0", [{ service: http, address: "10.10.0.12", port: 80 }]);
    expect(busy.out).toBe("still 3 active connection(s) after 1s: removing anyway");
    expect(busy.ms).toBeGreaterThanOrEqual(900);
    const six = await waitWith("0", "2", [{ service: v6, address: "2001:db8::12", port: 443 }]);
    expect(six.out).toBe("still 2 active connection(s) after 1s: removing anyway");
  });
});
