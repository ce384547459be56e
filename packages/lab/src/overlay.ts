// The per-boot overlay: a small cpio the kernel unpacks over the cached base image, carrying /init
// and the lab's keys. Keeping these out of the base image means editing init.sh or regenerating
// keys never forces the two-minute image rebuild.
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { type CpioEntry, writeCpio } from "./cpio.ts";
import type { LabKeys } from "./keys.ts";
import { DIRECTOR2_NAMESPACE, REALSERVERS } from "./topology.ts";

export async function renderOverlay(keys: LabKeys): Promise<Buffer> {
  const init = await readFile(new URL("./guest/init.sh", import.meta.url));
  const text = (value: string): Buffer => Buffer.from(value.endsWith("\n") ? value : `${value}\n`);
  const hostKey = (dir: string, pair: LabKeys["hostKeys"]["director"]): CpioEntry[] => [
    { kind: "file", path: `${dir}/ssh_host_ed25519_key`, mode: 0o600, data: text(pair.privateKey) },
    {
      kind: "file",
      path: `${dir}/ssh_host_ed25519_key.pub`,
      mode: 0o644,
      data: text(pair.publicKey),
    },
  ];
  const entries: CpioEntry[] = [
    { kind: "file", path: "init", mode: 0o755, data: init },
    // The kernel opens /dev/console for init before devtmpfs is mounted.
    { kind: "dir", path: "dev", mode: 0o755 },
    { kind: "char", path: "dev/console", mode: 0o600, major: 5, minor: 1 },
    // sshd's StrictModes wants root-owned, non-group-writable home and .ssh.
    { kind: "dir", path: "root", mode: 0o700 },
    { kind: "dir", path: "root/.ssh", mode: 0o700 },
    {
      kind: "file",
      path: "root/.ssh/authorized_keys",
      mode: 0o600,
      data: text(keys.client.publicKey),
    },
    { kind: "dir", path: "etc", mode: 0o755 },
    { kind: "dir", path: "etc/ssh", mode: 0o755 },
    ...hostKey("etc/ssh", keys.hostKeys.director),
  ];
  for (const machine of [...REALSERVERS.map((rs) => rs.name), DIRECTOR2_NAMESPACE] as const) {
    entries.push({ kind: "dir", path: `etc/ssh/${machine}`, mode: 0o755 });
    entries.push(...hostKey(`etc/ssh/${machine}`, keys.hostKeys[machine]));
  }
  return gzipSync(writeCpio(entries));
}

/**
 * The kernel accepts concatenated initramfs archives; the base is zero-padded to a 4-byte boundary
 * because the unpacker only looks for a new archive at aligned offsets (and skips zero bytes).
 */
export function concatInitramfs(base: Buffer, overlay: Buffer): Buffer {
  const padding = Buffer.alloc((4 - (base.length % 4)) % 4);
  return Buffer.concat([base, padding, overlay]);
}
