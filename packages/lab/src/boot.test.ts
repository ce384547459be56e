import { describe, expect, it } from "vitest";
import { qemuArgv } from "./boot.ts";
import type { ImageInfo } from "./build-image.ts";
import type { RunPaths } from "./paths.ts";

const image = { kernel: "/c/vmlinuz", initramfs: "/c/base.gz" } as ImageInfo;
const paths: RunPaths = {
  dir: "/tmp/a,b",
  pidFile: "/tmp/a,b/qemu.pid",
  serialLog: "/tmp/a,b/serial.log",
  qmpSocket: "/tmp/a,b/qmp.sock",
  initrd: "/tmp/a,b/initrd.img",
  state: "/tmp/a,b/state.json",
};

describe("qemuArgv", () => {
  const argv = qemuArgv(image, paths, 2222);
  const after = (flag: string) => argv[argv.indexOf(flag) + 1];

  it("uses TCG, never KVM, and daemonizes with a pidfile", () => {
    expect(after("-accel")).toBe("tcg");
    expect(argv).not.toContain("-enable-kvm");
    expect(argv).toContain("-daemonize");
    expect(after("-pidfile")).toBe(paths.pidFile);
  });

  it("forwards only the guest's sshd, on loopback, with the guest cut off from the network", () => {
    expect(after("-netdev")).toBe("user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:2222-:22");
  });

  it("doubles commas in paths inside qemu option strings", () => {
    expect(after("-serial")).toBe("file:/tmp/a,,b/serial.log");
    expect(after("-qmp")).toBe("unix:/tmp/a,,b/qmp.sock,server=on,wait=off");
  });
});
