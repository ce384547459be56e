import { describe, expect, it } from "vitest";
import { writeCpio } from "./cpio.ts";
import { concatInitramfs } from "./overlay.ts";

/** Reads newc records back: enough to check what the kernel's unpacker will see. */
function readCpio(buffer: Buffer): { name: string; mode: number; data: string; rdev: number[] }[] {
  const out = [];
  let offset = 0;
  const align = (n: number) => (n + 3) & ~3;
  for (;;) {
    expect(offset % 4).toBe(0);
    const header = buffer.subarray(offset, offset + 110).toString("latin1");
    expect(header.slice(0, 6)).toBe("070701");
    const field = (i: number) => Number.parseInt(header.slice(6 + i * 8, 14 + i * 8), 16);
    const nameSize = field(11);
    const name = buffer.subarray(offset + 110, offset + 110 + nameSize - 1).toString("utf8");
    const dataStart = align(offset + 110 + nameSize);
    const data = buffer.subarray(dataStart, dataStart + field(6)).toString("utf8");
    offset = align(dataStart + field(6));
    if (name === "TRAILER!!!") break;
    out.push({ name, mode: field(1), data, rdev: [field(9), field(10)] });
  }
  expect(offset).toBe(buffer.length);
  return out;
}

describe("writeCpio", () => {
  it("writes aligned newc records with types, modes and a trailer", () => {
    const archive = writeCpio([
      { kind: "dir", path: "root", mode: 0o700 },
      { kind: "file", path: "root/.ssh/authorized_keys", mode: 0o600, data: Buffer.from("key\n") },
      { kind: "char", path: "dev/console", mode: 0o600, major: 5, minor: 1 },
    ]);
    expect(readCpio(archive)).toEqual([
      { name: "root", mode: 0o40700, data: "", rdev: [0, 0] },
      { name: "root/.ssh/authorized_keys", mode: 0o100600, data: "key\n", rdev: [0, 0] },
      { name: "dev/console", mode: 0o20600, data: "", rdev: [5, 1] },
    ]);
  });

  it("refuses paths that would escape the root", () => {
    expect(() => writeCpio([{ kind: "dir", path: "/etc", mode: 0o755 }])).toThrow();
    expect(() => writeCpio([{ kind: "dir", path: "etc/../../x", mode: 0o755 }])).toThrow();
  });
});

describe("concatInitramfs", () => {
  it("starts the overlay at a 4-byte boundary, padding with zeros", () => {
    const joined = concatInitramfs(Buffer.from("abcde"), Buffer.from("XY"));
    expect(joined.toString("latin1")).toBe("abcde\0\0\0XY");
  });
});
