// Prisma does not create the directory of a SQLite file: make sure it exists before migrating.
import { mkdirSync } from "node:fs";
import path from "node:path";

const url = process.env.DATABASE_URL ?? "file:./data/lvs-panel.db";
if (url.startsWith("file:")) {
  mkdirSync(path.dirname(path.resolve(url.slice("file:".length))), { recursive: true });
}
