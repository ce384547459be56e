// Prisma does not create the directory of a SQLite file: make the default ./data exist first.
import { mkdirSync } from "node:fs";

mkdirSync(new URL("../data/", import.meta.url), { recursive: true });
