// One unit/integration runner for the whole workspace; each package owns its vitest.config.ts.
// The SPA's component tests run in real Chromium as a project of their own (web-browser).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "apps/web/vitest.browser.config.ts"],
  },
});
