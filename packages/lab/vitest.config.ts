import { defineProject } from "vitest/config";

// Booting the VM under TCG takes ~15 s (plus a ~1 min image build on a cold cache), so timeouts
// are generous; LVS_PANEL_LAB=0 skips the suite. Files run one at a time: they share one VM and
// each flushes its IPVS table.
export default defineProject({
  test: {
    name: "lab",
    include: ["src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 15 * 60_000,
    fileParallelism: false,
  },
});
