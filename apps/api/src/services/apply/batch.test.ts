// The per-host script: ipvsadm and ip steps batched into one process each, markers splitting the
// output back into per-step results — run here by a real sh, as it runs on a host.
import { execFileSync } from "node:child_process";
import { renderFileWrite, renderFileWrites, type Step } from "@lvs-panel/lvs";
import { describe, expect, it } from "vitest";
import { parseBatchOutput, renderHostBatch } from "./batch.ts";

const ipvs = (id: string, ...args: string[]): Step => ({
  id,
  host: "director",
  description: id,
  argv: ["ipvsadm", ...args],
  op: { kind: "ipvsadm" },
});
const ip = (id: string, ...args: string[]): Step => ({
  id,
  host: "director",
  description: id,
  argv: ["ip", ...args],
  op: { kind: "address", action: "add", address: { dev: "lo", address: "10.0.0.1", prefix: 32 } },
});
const script = (id: string, text: string): Step => ({
  id,
  host: "director",
  description: id,
  script: text,
  op: { kind: "file", action: "remove", path: "/x" },
});

describe("renderHostBatch", () => {
  it("joins runs of ipvsadm and of ip steps, keeps others apart, in order", () => {
    const batch = renderHostBatch([
      ip("a1", "addr", "replace", "10.0.0.1/32", "dev", "lo"),
      ip("a2", "addr", "replace", "10.0.0.2/32", "dev", "lo"),
      ip("r1", "-4", "rule", "add", "priority", "4100", "lookup", "4100"),
      ipvs("s1", "-A", "-t", "10.0.0.1:80", "-s", "rr"),
      ipvs("s2", "-a", "-t", "10.0.0.1:80", "-r", "10.0.1.1:80", "-m", "-w", "1"),
      script("f1", "echo file"),
      ipvs("s3", "-D", "-t", "10.0.0.9:80"),
    ]);
    expect(batch.groups.map((g) => g.stepIds)).toEqual([
      ["a1", "a2"],
      ["r1"],
      ["s1", "s2"],
      ["f1"],
      ["s3"],
    ]);
    expect(batch.groups[0]?.command).toBe(
      "ip -batch - <<'LVS_PANEL_IP_BATCH'\naddr replace 10.0.0.1/32 dev lo\naddr replace 10.0.0.2/32 dev lo\nLVS_PANEL_IP_BATCH",
    );
    expect(batch.groups[2]?.command).toContain(
      "ipvsadm -R <<'LVS_PANEL_IPVSADM_RULES'\n-A -t 10.0.0.1:80 -s rr\n",
    );
    expect(batch.groups[4]?.command).toBe("ipvsadm -D -t 10.0.0.9:80");
  });

  it("writes consecutive files in one group that renames them together", () => {
    const write = (id: string, path: string): Step => ({
      id,
      host: "director",
      description: id,
      script: renderFileWrite(path, id),
      op: { kind: "file", action: "write", path, content: id },
    });
    const batch = renderHostBatch([
      write("w1", "/etc/a"),
      write("w2", "/etc/b"),
      script("rm", "rm -f /etc/c"),
      write("w3", "/etc/d"),
    ]);
    expect(batch.groups.map((g) => g.stepIds)).toEqual([["w1", "w2"], ["rm"], ["w3"]]);
    expect(batch.groups[0]?.command).toBe(
      renderFileWrites([
        { path: "/etc/a", content: "w1" },
        { path: "/etc/b", content: "w2" },
      ]),
    );
    expect(batch.groups[2]?.command).toBe(`(\n${renderFileWrite("/etc/d", "w3")}\n)`);
  });

  it("never batches a token the line splitters could misread", () => {
    const batch = renderHostBatch([
      ip("x", "addr", "add", "10.0.0.1/32", "dev", "we ird"),
      ip("y", "addr", "add", "10.0.0.2/32", "dev", "lo"),
    ]);
    expect(batch.groups.map((g) => g.stepIds)).toEqual([["x"], ["y"]]);
    expect(batch.groups[0]?.command).toBe("ip addr add 10.0.0.1/32 dev 'we ird'");
  });

  it("runs in sh; a failing step stops the script and the output splits per step", () => {
    const batch = renderHostBatch([
      script("one", "echo first"),
      script("two", "echo second; exit 3"),
      script("three", "echo never"),
    ]);
    let stdout = "";
    try {
      execFileSync("sh", ["-s"], { input: batch.script, encoding: "utf8" });
    } catch (err) {
      stdout = (err as { stdout: string }).stdout;
      expect((err as { status: number }).status).toBe(90);
    }
    const results = parseBatchOutput(batch, stdout);
    expect(results.map((r) => [r.group.id, r.status, r.exitCode, r.output])).toEqual([
      ["one", "ok", 0, "first"],
      ["two", "failed", 3, "second"],
      ["three", "not-run", null, ""],
    ]);
  });
});
