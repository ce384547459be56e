// What goes into the guest image. The image is cached under the hash of this recipe plus the text
// of build-image.ts, so changing either rebuilds it and nothing else does.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

export const RECIPE = {
  suite: "bookworm",
  mirror: "http://deb.debian.org/debian",
  /** Resolved to the versioned package (e.g. linux-image-6.1.0-56-amd64) at build time. */
  kernelMetaPackage: "linux-image-amd64",
  guestPackages: [
    "busybox",
    "curl",
    // Traffic for the live view's tests: SYN floods fill the IPVS table without a server.
    "hping3",
    "iproute2",
    "ipvsadm",
    // The engine operators trust for health checks and failover (2.2.7 in bookworm).
    "keepalived",
    "kmod",
    "netbase",
    "openssh-server",
    "procps",
    "sudo",
  ],
  /** Kernel module subtrees copied in: all of net/ (ip_vs, bridge, netfilter) and their deps. */
  moduleSubtrees: [
    "kernel/net",
    "kernel/lib",
    "kernel/crypto",
    "kernel/arch/x86/crypto",
    "kernel/drivers/net/ethernet/intel/e1000",
    "kernel/drivers/net/veth.ko",
    "kernel/drivers/net/dummy.ko",
  ],
  /** Paths removed from the rootfs to keep the initramfs (held in guest RAM) small. */
  trimPaths: [
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
    "usr/share/zoneinfo",
    "var/cache/apt",
    "var/lib/apt/lists",
    "var/log",
  ],
} as const;

export function recipeHash(): string {
  const buildSource = readFileSync(new URL("./build-image.ts", import.meta.url), "utf8");
  return createHash("sha256")
    .update(JSON.stringify(RECIPE))
    .update("\0")
    .update(buildSource)
    .digest("hex")
    .slice(0, 16);
}
