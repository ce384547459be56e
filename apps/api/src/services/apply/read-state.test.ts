// Persisted files read back as SHA-256 sums: what the sums say about each file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesFromHashes, parseFileHashes } from "./read-state.ts";

const RULES = "/etc/ipvsadm.rules";
const SYSCTL = "/etc/sysctl.d/90-lvs-panel.conf";

describe("file read-back by sums", () => {
  it("reads real sha256sum output, ignoring paths the panel does not manage", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lvs-sums-"));
    try {
      writeFileSync(path.join(dir, "a"), "-A -t 10.0.0.1:80 -s rr\n");
      const out = execFileSync("sha256sum", [path.join(dir, "a")], { encoding: "utf8" });
      const hash = out.split(" ")[0] ?? "";
      const text = `${hash}  ${RULES}\n${hash}  /etc/passwd\n`;
      expect(parseFileHashes(text)).toEqual({ [RULES]: hash });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the desired text where the sum matches, a stand-in where it does not", () => {
    const want = { [RULES]: "-A -t 10.0.0.1:80 -s rr\n", [SYSCTL]: "net.ipv4.ip_forward = 1\n" };
    const sum = (t: string) =>
      execFileSync("sha256sum", { input: t, encoding: "utf8" }).split(" ")[0] ?? "";
    const files = filesFromHashes(
      { [RULES]: sum(want[RULES]), [SYSCTL]: sum("net.ipv4.ip_forward = 0\n") },
      want,
    );
    expect(files[RULES]).toBe(want[RULES]);
    expect(files[SYSCTL]).not.toBe(want[SYSCTL]);
    // A file that should not be there stays visible (so the plan would remove it).
    expect(filesFromHashes({ [RULES]: sum("x") }, {})[RULES]).toMatch(/sha256/);
    // A file that is missing is absent.
    expect(filesFromHashes({}, want)).toEqual({});
  });
});
