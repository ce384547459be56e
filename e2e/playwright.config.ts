// Playwright drives Debian's Chromium (/usr/bin/chromium) against the real app on a fresh SQLite
// file: the same server `npm start` runs, on its own port and database.
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 8099);
const dataDir = path.join(tmpdir(), `lvs-panel-e2e-${port}`);
export const E2E_ADMIN_PASSWORD = "e2e-admin-password";

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // The server gets its own copy of the built UI, so a rebuild during a run cannot swap it.
    command: `rm -rf ${dataDir} && mkdir -p ${dataDir} && cp -r apps/web/dist ${dataDir}/web && npx prisma migrate deploy && node --import tsx apps/api/src/server.ts`,
    cwd: path.resolve(import.meta.dirname, ".."),
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: `file:${dataDir}/e2e.db`,
      PORT: String(port),
      HOST: "127.0.0.1",
      LVS_PANEL_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      LVS_PANEL_WEB_DIST: `${dataDir}/web`,
      LOG_LEVEL: "warn",
      // The lab suite sees a hand edit as drift within seconds, not the default minute.
      LVS_PANEL_DRIFT_INTERVAL_SECONDS: "3",
    },
  },
});
