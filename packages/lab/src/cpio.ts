// A minimal writer for the kernel's initramfs format (cpio "newc"). Used for the small per-boot
// overlay (init script, keys) that the kernel unpacks on top of the cached base image.

export type CpioEntry =
  | { readonly kind: "dir"; readonly path: string; readonly mode: number }
  | { readonly kind: "file"; readonly path: string; readonly mode: number; readonly data: Buffer }
  | {
      readonly kind: "char";
      readonly path: string;
      readonly mode: number;
      readonly major: number;
      readonly minor: number;
    };

const TYPE_BITS = { dir: 0o040000, file: 0o100000, char: 0o020000 } as const;

function hex8(value: number): string {
  return value.toString(16).padStart(8, "0");
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(ino: number, name: string, mode: number, data: Buffer, rdev = [0, 0]): Buffer[] {
  const nameBytes = Buffer.from(`${name}\0`, "utf8");
  const header = [
    "070701",
    hex8(ino),
    hex8(mode),
    hex8(0), // uid root
    hex8(0), // gid root
    hex8(mode & TYPE_BITS.dir ? 2 : 1),
    hex8(0), // mtime
    hex8(data.length),
    hex8(0),
    hex8(0),
    hex8(rdev[0] ?? 0),
    hex8(rdev[1] ?? 0),
    hex8(nameBytes.length),
    hex8(0),
  ].join("");
  const head = Buffer.concat([Buffer.from(header, "latin1"), nameBytes]);
  return [head, pad4(head.length), data, pad4(data.length)];
}

/** Paths are relative to the guest root, without a leading slash (as `find .` would give). */
export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  for (const entry of entries) {
    if (entry.path.startsWith("/") || entry.path.split("/").includes("..")) {
      throw new Error(`cpio path must be relative and stay inside the root: ${entry.path}`);
    }
    const mode = TYPE_BITS[entry.kind] | (entry.mode & 0o7777);
    const data = entry.kind === "file" ? entry.data : Buffer.alloc(0);
    const rdev = entry.kind === "char" ? [entry.major, entry.minor] : [0, 0];
    parts.push(...record(ino++, entry.path, mode, data, rdev));
  }
  parts.push(...record(0, "TRAILER!!!", 0, Buffer.alloc(0)));
  return Buffer.concat(parts);
}
