// Component tests (`*.browser.test.tsx`) in real Chromium: Debian's build, driven by Playwright
// through Vitest browser mode, with the app's own Vite plugins so Tailwind styles the components.
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { playwright } from "@vitest/browser-playwright";
import { defineProject } from "vitest/config";

export default defineProject({
  plugins: [react(), tailwindcss()],
  // Pre-bundled together up front: one copy of React for the app and the renderer, and no
  // mid-run "new dependencies optimized" reload.
  optimizeDeps: {
    include: [
      "react",
      "react/jsx-dev-runtime",
      "react-dom",
      "react-dom/client",
      "@tanstack/react-query",
      "@tanstack/react-virtual",
      "react-router",
      "vitest-browser-react",
      // The live charts: optimised late, Vite reloads the test run (flaky on a fresh clone).
      "uplot",
    ],
  },
  test: {
    name: "web-browser",
    include: ["src/**/*.browser.test.tsx"],
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          // Playwright's own browser download is not reachable offline; use the system one.
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
      }),
      instances: [{ browser: "chromium", viewport: { width: 1280, height: 800 } }],
    },
  },
});
