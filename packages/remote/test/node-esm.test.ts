// Vitest resolves CommonJS named exports more leniently than Node's ESM loader; the API runs under
// plain Node (tsx), so load the package there too. (`import { utils } from "ssh2"` passed in
// Vitest and failed in Node.)
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

it("loads and works under Node's own ESM loader", async () => {
  const code = `
    import { checkPrivateKey, SshPool, scanHostKey } from "@lvs-panel/remote";
    const pool = new SshPool();
    console.log(JSON.stringify({
      check: checkPrivateKey("not a key"),
      pool: typeof pool.run,
      scan: typeof scanHostKey,
    }));`;
  const { stdout } = await run("node", ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: repoRoot,
  });
  expect(JSON.parse(stdout)).toEqual({
    check: { ok: false, message: expect.stringContaining("malformed") },
    pool: "function",
    scan: "function",
  });
});
