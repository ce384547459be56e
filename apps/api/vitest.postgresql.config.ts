// The api project's tests again, on PostgreSQL: each test app gets a fresh database on the server
// in LVS_PANEL_TEST_POSTGRES_URL (test/test-database.ts). Registered by the root vitest.config.ts
// only when that variable is set (.ci/run sets it up).
import { configDefaults, defineProject, mergeConfig } from "vitest/config";
import api from "./vitest.config.ts";

export default mergeConfig(
  api,
  defineProject({
    test: {
      name: "api-pg",
      env: { LVS_PANEL_TEST_DATABASE: "postgresql" },
      // Derivation is checked once, by the api project.
      exclude: [...configDefaults.exclude, "test/postgresql-schema.test.ts"],
    },
  }),
);
