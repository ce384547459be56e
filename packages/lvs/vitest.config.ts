import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "lvs", include: ["src/**/*.test.ts"] },
});
