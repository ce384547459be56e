// Migrates one template SQLite file with the real Prisma CLI (the same `migrate deploy` that
// `npm start` runs); each test file then copies it, so every test file gets its own real database.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export default function setup(project: TestProject) {
  const repoRoot = path.resolve(import.meta.dirname, "../../..");
  const dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-api-test-"));
  const templateDb = path.join(dir, "template.db");
  execFileSync(path.join(repoRoot, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: `file:${templateDb}` },
    stdio: "pipe",
  });
  project.provide("templateDb", templateDb);
  return () => rmSync(dir, { recursive: true, force: true });
}
