// Regenerates the README screenshots from a real run: boots the lab, starts a panel on a scratch
// database, seeds the lab into it, previews and applies the plan, sends traffic, and captures the
// overview, the cluster page, the plan preview and the live view with Debian's Chromium.
//   node --import tsx scripts/screenshots.ts   (root; the lab must be buildable here)
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import {
  curlFromClient,
  disconnectLab,
  ensureLab,
  labRun,
  seedPanel,
} from "../packages/lab/src/index.ts";

const repoRoot = path.resolve(import.meta.dirname, "..");
const out = path.join(repoRoot, "docs/screenshots");
const dir = mkdtempSync(path.join(tmpdir(), "lvs-panel-shots-"));
const port = 8131;
const base = `http://127.0.0.1:${port}`;
const password = "screenshot-password";
const env = {
  ...process.env,
  DATABASE_URL: `file:${dir}/shots.db`,
  PORT: String(port),
  LVS_PANEL_ADMIN_PASSWORD: password,
  LOG_LEVEL: "warn",
};

mkdirSync(out, { recursive: true });
const lab = await ensureLab((l) => console.log(`[lab] ${l}`));
execFileSync(path.join(repoRoot, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
  cwd: repoRoot,
  env,
  stdio: "ignore",
});
const server: ChildProcess = spawn(
  process.execPath,
  ["--import", "tsx", "apps/api/src/server.ts"],
  { cwd: repoRoot, env, stdio: "inherit" },
);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // Start from an empty kernel table so the plan shows the whole NAT setup.
  await labRun(
    "ipvsadm -C; ip addr del 192.168.77.100/32 dev wan0 2>/dev/null; ip addr del 192.168.77.100/32 dev lan0 2>/dev/null; true",
  );
  await seedPanel(lab, {
    url: base,
    username: "admin",
    password,
    log: (l) => console.log(`[seed] ${l}`),
  });

  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(base);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("link", { name: "lab", exact: true }).click();
  const clusterUrl = page.url();

  await page.getByRole("button", { name: "Plan changes" }).click();
  const preview = page.getByRole("dialog", { name: /^(Plan preview|Appl)/ });
  await preview.getByText("-A -t 192.168.77.100:80 -s rr").first().waitFor({ timeout: 120_000 });
  await page.screenshot({ path: path.join(out, "plan.png") });
  await preview.getByRole("button", { name: "Apply", exact: true }).click();
  await preview.getByRole("status").getByText("Apply succeeded").waitFor({ timeout: 300_000 });
  await preview.getByRole("button", { name: "Close" }).click();

  for (let i = 0; i < 12; i++) await curlFromClient("clientnat", "http://192.168.77.100/");
  await page.goto(clusterUrl);
  await page.getByText("Succeeded").first().waitFor();
  await page.waitForTimeout(4_000); // the realservers' live connection counts
  await page.screenshot({ path: path.join(out, "cluster.png") });

  await page.goto(base);
  await page.getByText("4/4 reachable").waitFor({ timeout: 60_000 });
  await page.screenshot({ path: path.join(out, "overview.png") });

  await page.goto(`${clusterUrl}/live`);
  await page
    .getByRole("table", { name: "Connections" })
    .getByText("10.10.0.11:80")
    .first()
    .waitFor({ timeout: 60_000 });
  for (let i = 0; i < 12; i++) await curlFromClient("clientnat", "http://192.168.77.100/");
  await page.waitForTimeout(6_000); // a few ticks for the charts
  await page.screenshot({ path: path.join(out, "live.png") });
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  await disconnectLab();
  rmSync(dir, { recursive: true, force: true });
}
