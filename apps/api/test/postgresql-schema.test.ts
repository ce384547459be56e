// prisma/schema.prisma is the one source of truth; the PostgreSQL schema and migration are derived
// from it (docs/decisions/0006-postgresql.md). This fails when they are stale.
import { expect, it } from "vitest";
import {
  DERIVE_COMMAND,
  derivePostgresqlSchema,
  SQLITE_SCHEMA,
  staleFiles,
  withBinaryCollation,
} from "../../../scripts/derive-postgresql.ts";

it("the PostgreSQL schema and migration are up to date with prisma/schema.prisma", () => {
  const stale = staleFiles();
  expect(
    stale,
    `${stale.join(", ")} out of date with ${SQLITE_SCHEMA}: run \`${DERIVE_COMMAND}\` and commit the result`,
  ).toEqual([]);
}, 30_000);

it("derives only the provider and the client's output", () => {
  const sqlite = [
    "generator client {",
    '  provider = "prisma-client"',
    '  output   = "../apps/api/src/generated/prisma"',
    "}",
    "",
    "datasource db {",
    '  provider = "sqlite"',
    '  url      = env("DATABASE_URL")',
    "}",
    "",
    "model Host {",
    "  id   String @id",
    "  name String @unique",
    "}",
    "",
  ].join("\n");
  const derived = derivePostgresqlSchema(sqlite);
  expect(derived).toContain('  provider = "postgresql"\n');
  expect(derived).toContain('  output   = "../../apps/api/src/generated/prisma-postgresql"\n');
  expect(derived.slice(derived.indexOf("model Host"))).toBe(
    sqlite.slice(sqlite.indexOf("model Host")),
  );
  expect(() => derivePostgresqlSchema(sqlite.replace("String @id", "String @id @db.Text"))).toThrow(
    /@db\.Text/,
  );
});

it("compares text byte by byte, as SQLite does", () => {
  expect(withBinaryCollation('    "name" TEXT NOT NULL,\n    "error" TEXT,\n')).toBe(
    '    "name" TEXT COLLATE "C" NOT NULL,\n    "error" TEXT COLLATE "C",\n',
  );
});
