// Online backup of the panel's database, verified. SQLite: SQLite's backup API (consistent while
// the panel runs, in WAL mode), checked with an integrity check of the copy. PostgreSQL: pg_dump's
// custom format (one consistent snapshot), checked by reading the archive back with pg_restore.
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { databaseProvider } from "../plugins/db.ts";

const run = promisify(execFile);

export function databaseFile(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) throw new Error("DATABASE_URL must be a file: URL");
  return path.resolve(databaseUrl.slice("file:".length));
}

/**
 * Writes the backup to `destination`, or by default beside the database (SQLite) or in
 * `<dataDir>/backups` (PostgreSQL), and returns its path.
 */
export async function backupDatabase(
  databaseUrl: string,
  destination?: string,
  opts: { dataDir?: string } = {},
): Promise<string> {
  if (databaseProvider(databaseUrl) === "postgresql") {
    const dir = path.join(opts.dataDir ?? path.resolve("data"), "backups");
    return backupPostgresql(
      databaseUrl,
      destination ?? path.join(dir, `lvs-panel-${stamp()}.dump`),
    );
  }
  const source = databaseFile(databaseUrl);
  return backupSqlite(
    source,
    destination ?? path.join(path.dirname(source), "backups", `lvs-panel-${stamp()}.db`),
  );
}

async function backupSqlite(source: string, destination: string): Promise<string> {
  const target = path.resolve(destination);
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

async function backupPostgresql(databaseUrl: string, destination: string): Promise<string> {
  const target = path.resolve(destination);
  mkdirSync(path.dirname(target), { recursive: true });
  const { url, env } = libpqConnection(databaseUrl);
  try {
    await run("pg_dump", ["--format=custom", `--file=${target}`, `--dbname=${url}`], { env });
  } catch (err) {
    throw new Error(`pg_dump failed (it comes with PostgreSQL's client tools): ${reason(err)}`);
  }
  // Reading the whole table of contents back proves the archive is complete and restorable.
  const { stdout } = await run("pg_restore", ["--list", target], { env });
  if (!/TABLE DATA \S+ "?Cluster"? /.test(stdout)) {
    throw new Error(`backup ${target} does not hold the panel's tables`);
  }
  return target;
}

/** The URL without its password (visible to every user in the process list), which goes in env. */
function libpqConnection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return {
    url: url.toString(),
    env: password ? { ...process.env, PGPASSWORD: password } : process.env,
  };
}

function reason(err: unknown): string {
  const e = err as { code?: unknown; stderr?: unknown; message?: unknown };
  if (e.code === "ENOENT") return "pg_dump is not installed";
  return String(e.stderr || e.message).trim();
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
}
