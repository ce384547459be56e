// A cross-process lock (an exclusively created file holding our pid), so parallel test workers or
// a CLI and a test never build or boot the lab twice at once.
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  timeoutMs = 20 * 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  // On a fresh machine nothing has created the cache folder yet.
  await mkdir(dirname(path), { recursive: true });
  for (;;) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number((await readFile(path, "utf8").catch(() => "")).trim());
      // A lock left by a dead process (crash, ^C) is stale; an empty file may be mid-write.
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${path}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
