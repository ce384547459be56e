// Online backup of the SQLite database with SQLite's backup API: consistent while the panel runs
// (WAL mode), verified with an integrity check of the copy.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export function databaseFile(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) throw new Error("DATABASE_URL must be a file: URL");
  return path.resolve(databaseUrl.slice("file:".length));
}

export async function backupDatabase(databaseUrl: string, destination?: string): Promise<string> {
  const source = databaseFile(databaseUrl);
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
  const target = path.resolve(
    destination ?? path.join(path.dirname(source), "backups", `lvs-panel-${stamp}.db`),
  );
  mkdirSync(path.dirname(target), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
  const copy = new Database(target, { readonly: true });
  try {
    const check = copy.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new Error(`backup ${target} failed its integrity check: ${check}`);
  } finally {
    copy.close();
  }
  return target;
}
