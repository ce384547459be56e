// Builds the guest image once: a debootstrap minbase rootfs plus the Debian kernel's network
// modules, packed as a gzipped initramfs. Cached under the recipe hash; see recipe.ts.
import { existsSync, readFileSync } from "node:fs";
import { copyFile, cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { withLock } from "./lock.ts";
import { imageDir, workDir } from "./paths.ts";
import { RECIPE, recipeHash } from "./recipe.ts";
import { runCommand } from "./run-command.ts";

export interface ImageInfo {
  readonly hash: string;
  readonly dir: string;
  readonly kernel: string;
  readonly initramfs: string;
  readonly kernelPackage: string;
  readonly kernelRelease: string;
  readonly builtAt: string;
  readonly buildSeconds: number;
}

const MANIFEST = "manifest.json";
const KERNEL_PACKAGE = /^linux-image-[0-9][A-Za-z0-9.+~-]*-amd64$/;
// The chroot's tools live in merged /usr; the host's PATH may not list sbin.
const CHROOT_ENV = { ...process.env, PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" };

export function cachedImage(): ImageInfo | undefined {
  const dir = imageDir(recipeHash());
  const manifest = join(dir, MANIFEST);
  if (!existsSync(manifest)) return undefined;
  return JSON.parse(readFileSync(manifest, "utf8")) as ImageInfo;
}

/** The image for the current recipe, built first if it is not cached. */
export async function ensureImage(log: (line: string) => void): Promise<ImageInfo> {
  const cached = cachedImage();
  if (cached !== undefined) return cached;
  await mkdir(workDir(), { recursive: true });
  return withLock(join(workDir(), "build.lock"), async () => {
    // Another process may have finished the build while we waited for the lock.
    const built = cachedImage();
    if (built !== undefined) return built;
    await removeStaleBuilds();
    return buildImage(log);
  });
}

/**
 * Clears build dirs left by an interrupted build. A debootstrap killed mid-run leaves /proc and
 * /sys mounted inside its target, and a recursive delete must not descend into those.
 */
async function removeStaleBuilds(): Promise<void> {
  const mounts = (await readFile("/proc/self/mounts", "utf8").catch(() => ""))
    .split("\n")
    .map((line) => line.split(" ")[1]?.replaceAll("\\040", " "))
    .filter((mount): mount is string => mount?.startsWith(`${workDir()}/`) === true)
    .sort((a, b) => b.length - a.length);
  for (const mount of mounts) await runCommand(["umount", "-l", mount]);
  for (const name of await readdir(workDir())) {
    if (name.startsWith("build-"))
      await rm(join(workDir(), name), { recursive: true, force: true });
  }
}

async function resolveKernelPackage(): Promise<string> {
  const override = process.env.LVS_PANEL_LAB_KERNEL_PACKAGE;
  const candidate =
    override !== undefined && override !== ""
      ? override
      : /Depends: (linux-image-\S+)/.exec(
          (await runCommand(["apt-cache", "depends", RECIPE.kernelMetaPackage])).stdout,
        )?.[1];
  if (candidate === undefined || !KERNEL_PACKAGE.test(candidate)) {
    throw new Error(
      `cannot resolve ${RECIPE.kernelMetaPackage} to a kernel package (got ${JSON.stringify(candidate)}); run apt-get update or set LVS_PANEL_LAB_KERNEL_PACKAGE`,
    );
  }
  return candidate;
}

async function buildImage(log: (line: string) => void): Promise<ImageInfo> {
  const started = Date.now();
  const hash = recipeHash();
  const work = join(workDir(), `build-${hash}-${process.pid}`);
  const rootfs = join(work, "rootfs");
  const kernelDir = join(work, "kernel");
  const out = join(work, "image");
  const buildLog = join(work, "build.log");
  await rm(work, { recursive: true, force: true });
  await mkdir(kernelDir, { recursive: true });
  await mkdir(out, { recursive: true });
  log(`building lab image ${hash} in ${work} (log: ${buildLog})`);

  const kernelPackage = await resolveKernelPackage();
  log(`fetching ${kernelPackage}`);
  // Downloading as root into a root-owned dir; apt's _apt sandbox user could not write there.
  await runCommand(["apt-get", "download", "-o", "APT::Sandbox::User=root", kernelPackage], {
    cwd: kernelDir,
    logFile: buildLog,
  });
  const deb = (await readdir(kernelDir)).find((name) => name.endsWith(".deb"));
  if (deb === undefined) throw new Error(`apt-get download left no .deb in ${kernelDir}`);
  const kernelTree = join(kernelDir, "x");
  await runCommand(["dpkg-deb", "-x", join(kernelDir, deb), kernelTree]);
  const releases = await readdir(join(kernelTree, "lib", "modules"));
  const kernelRelease = releases[0];
  if (kernelRelease === undefined || releases.length !== 1) {
    throw new Error(
      `expected one kernel release in ${kernelPackage}, found ${releases.join(", ")}`,
    );
  }

  log(`debootstrap ${RECIPE.suite} (minbase + ${RECIPE.guestPackages.length} packages; ~2 min)`);
  await runCommand(
    [
      "debootstrap",
      "--variant=minbase",
      `--include=${RECIPE.guestPackages.join(",")}`,
      RECIPE.suite,
      rootfs,
      RECIPE.mirror,
    ],
    { logFile: buildLog, env: CHROOT_ENV },
  );

  log(`adding ${kernelRelease} network modules`);
  const hostModules = join(kernelTree, "lib", "modules", kernelRelease);
  const guestModules = join(rootfs, "lib", "modules", kernelRelease);
  for (const subtree of RECIPE.moduleSubtrees) {
    await mkdir(dirname(join(guestModules, subtree)), { recursive: true });
    await cp(join(hostModules, subtree), join(guestModules, subtree), { recursive: true });
  }
  for (const file of ["modules.order", "modules.builtin", "modules.builtin.modinfo"]) {
    await copyFile(join(hostModules, file), join(guestModules, file));
  }
  await runCommand(["chroot", rootfs, "depmod", kernelRelease], { env: CHROOT_ENV });
  await copyFile(join(kernelTree, "boot", `vmlinuz-${kernelRelease}`), join(out, "vmlinuz"));

  // Host keys generated by the openssh-server postinst would be shared by every lab; the real
  // ones come from the per-cache keys in the boot overlay.
  for (const name of await readdir(join(rootfs, "etc", "ssh"))) {
    if (name.startsWith("ssh_host_")) await rm(join(rootfs, "etc", "ssh", name));
  }
  for (const path of RECIPE.trimPaths)
    await rm(join(rootfs, path), { recursive: true, force: true });
  await mkdir(join(rootfs, "var", "log"), { recursive: true });

  log("packing the initramfs");
  // Fixed script, paths passed as positional parameters: nothing is interpolated into shell text.
  await runCommand([
    "sh",
    "-c",
    'cd "$1" && find . -mindepth 1 -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet | gzip -1 > "$2"',
    "pack-initramfs",
    rootfs,
    join(out, "initramfs.cpio.gz"),
  ]);

  const info: ImageInfo = {
    hash,
    dir: imageDir(hash),
    kernel: join(imageDir(hash), "vmlinuz"),
    initramfs: join(imageDir(hash), "initramfs.cpio.gz"),
    kernelPackage,
    kernelRelease,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  await writeFile(join(out, MANIFEST), `${JSON.stringify(info, null, 2)}\n`);
  await mkdir(dirname(info.dir), { recursive: true });
  await rm(info.dir, { recursive: true, force: true });
  // The manifest is written before the rename, so a cached image is always complete.
  await rename(out, info.dir);
  await rm(work, { recursive: true, force: true });
  // Older images are dead weight (~60 MB each); qemu has read a running VM's files at start.
  for (const name of await readdir(dirname(info.dir))) {
    if (name !== hash) await rm(join(dirname(info.dir), name), { recursive: true, force: true });
  }
  log(`image ready in ${info.buildSeconds}s: ${info.dir}`);
  return info;
}
