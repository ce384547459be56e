import { describe, expect, it } from "vitest";
import { MARKER } from "./batch.ts";
import { readSection, splitReadOutput } from "./read-script.ts";

/** What the read script prints for reads with these outputs and statuses. */
function printed(reads: { id: string; out: string; rc: number }[]): string {
  return reads.map((r) => `\n${MARKER} read ${r.id}\n${r.out}\n${MARKER} rc ${r.rc}\n`).join("");
}

describe("readSection", () => {
  it("gives each read's output exactly as splitReadOutput does, without splitting the rest", () => {
    const reads = [
      { id: "conn", out: "TCP 0A0A0001 0050\nTCP 0A0A0002 0050\n", rc: 0 },
      { id: "list", out: "IP Virtual Server version 1.2.1\n-> 10.0.0.1:80 Route 1 0 0", rc: 0 },
      { id: "empty", out: "", rc: 0 },
      { id: "failed", out: "oops\n", rc: 2 },
      { id: "pid", out: "1234\n", rc: 0 },
    ];
    const stdout = printed(reads);
    const all = splitReadOutput(stdout);
    for (const r of reads) expect(readSection(stdout, r.id)).toBe(all.get(r.id));
    expect(readSection(stdout, "missing")).toBeNull();
    expect(readSection(stdout, "failed")).toBeNull();
    expect(readSection(stdout, "empty")).toBe("");
  });
});
