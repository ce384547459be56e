// One unit/integration runner for the whole workspace; each package owns its vitest.config.ts.
// The SPA's component tests run in real Chromium as a project of their own (web-browser).
// `npm run test:unit` runs that project first, on its own: on a fresh clone Vite pre-bundles its
// dependencies during that first run, and once, under the load of the SSH and namespace tests
// running beside it, a test file fetched meanwhile failed to import ("Failed to fetch
// dynamically imported module", a known cold-cache race: vitest-dev/vitest#9509).
// With LVS_PANEL_TEST_POSTGRES_URL set (CI sets it), the API tests run a second time on PostgreSQL
// (api-pg); without it, on SQLite only.
import { defineConfig } from "vitest/config";

const postgresql = process.env.LVS_PANEL_TEST_POSTGRES_URL
  ? ["apps/api/vitest.postgresql.config.ts"]
  : [];

export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "apps/web/vitest.browser.config.ts", ...postgresql],
  },
});
