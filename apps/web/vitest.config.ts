import { defineProject } from "vitest/config";

// Unit tests for the SPA's pure parts (API client, error mapping, formatting); Node environment.
export default defineProject({
  test: { name: "web", include: ["src/**/*.test.ts"], environment: "node" },
});
