// What the lab suites (lab.spec.ts, pair.spec.ts) do the same way through the browser and on the
// lab's clients: sign in, plan and apply a cluster from its page, and see who answers a VIP.
import { curlFromClient } from "@lvs-panel/lab";
import { type Browser, expect, type Page } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "./playwright.config.ts";

/** A new page, signed in as admin. */
export async function signedInPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.goto("/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  return page;
}

/**
 * Plans the cluster at `clusterUrl`, waits for each text in the preview, applies, and returns
 * the outcome the dialog shows ("Apply succeeded" / "Apply failed …").
 */
export async function planAndApplyOn(page: Page, clusterUrl: string, expectInPreview: string[]) {
  await page.goto(clusterUrl);
  await page.getByRole("button", { name: "Plan changes" }).click();
  const preview = page.getByRole("dialog", { name: /^(Plan preview|Appl)/ });
  for (const text of expectInPreview) {
    await expect(preview.getByText(text).first()).toBeVisible({ timeout: 120_000 });
  }
  // A plan with nothing to apply disables the button: fail here, with the plan on screen.
  const apply = preview.getByRole("button", { name: "Apply", exact: true });
  await expect(apply).toBeEnabled({ timeout: 10_000 });
  await apply.click();
  await expect(preview.getByRole("status")).toHaveText(/Apply (succeeded|failed)/, {
    timeout: 300_000,
  });
  const status = await preview.getByRole("status").textContent();
  await preview.getByRole("button", { name: "Close" }).click();
  return status;
}

/** The realservers (their page bodies) that answered `tries` requests from a lab client. */
export async function answersFrom(client: "clientnat" | "clientdr", url: string, tries = 9) {
  const seen = new Set<string>();
  for (let i = 0; i < tries; i++) {
    const res = await curlFromClient(client, url);
    if (res.code === 0) seen.add(res.stdout.trim());
  }
  return [...seen].sort();
}
