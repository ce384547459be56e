// Migrates one template database with the real Prisma CLI (the same `migrate deploy` that
// `npm start` runs): a SQLite file, or a PostgreSQL database in the api-pg project. Each test app
// then gets its own copy of it (test-database.ts), so every test file has its own real database.
import type { TestProject } from "vitest/node";
import {
  createTemplate,
  type TestDatabaseTemplate,
  testDatabaseProvider,
} from "./test-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: TestDatabaseTemplate;
  }
}

export default async function setup(project: TestProject) {
  // The project's `test.env` reaches the test workers, not this process: read it from the config.
  const provider = testDatabaseProvider({ ...process.env, ...project.config.env });
  const { template, dispose } = await createTemplate(provider);
  project.provide("templateDb", template);
  return dispose;
}
