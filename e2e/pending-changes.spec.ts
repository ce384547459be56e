// [FIRST-HOUR] A saved change is not on the hosts until applied, and the cluster page says so:
// the pending-changes bar lists what waits (in words, not codes) and leads to Plan & apply; the
// NAT/DR switch offers "Apply now", which opens the plan of that change. Applying on a real
// kernel (the director's weight checked): e2e/pair.spec.ts.
import { expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "./playwright.config.ts";

async function logIn(page: Page) {
  await page.goto("/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

async function apiPost(page: Page, url: string, data: unknown) {
  const res = await page.request.post(url, { data });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

test("[FIRST-HOUR] the pending-changes bar lists saved changes in words; the switch offers Apply now", async ({
  page,
}) => {
  await logIn(page);
  const cluster = await apiPost(page, "/api/clusters", { name: `pending-${Date.now()}` });
  const service = await apiPost(page, `/api/clusters/${cluster.id}/services`, {
    protocol: "tcp",
    vip: "10.20.0.200",
    port: 80,
    scheduler: "rr",
    forwarding: "dr",
  });
  await apiPost(page, `/api/services/${service.id}/realservers`, {
    address: "10.20.0.11",
    port: 80,
  });

  await page.goto(`/clusters/${cluster.id}`);
  const bar = page.getByRole("region", { name: "Pending changes" });
  await expect(bar).toContainText("saved, not on the hosts yet (this cluster was never applied)");
  await expect(bar).toContainText("Add service TCP 10.20.0.200:80 (1 realservers)");
  await expect(bar).not.toContainText("services[0]");

  // The switch saves at once and offers to apply it; Apply now opens the plan.
  await page.getByRole("switch", { name: "Forwarding: NAT" }).click();
  await expect(page.getByText("Switch to NAT: saved, not on the director yet.")).toBeVisible();
  await page.getByRole("button", { name: "Apply now" }).click();
  await expect(page.getByRole("dialog", { name: "Plan preview" })).toBeVisible();
  await page.keyboard.press("Escape");

  // Plan & apply from the bar opens the same preview.
  await bar.getByRole("button", { name: "Plan & apply" }).click();
  await expect(page.getByRole("dialog", { name: "Plan preview" })).toBeVisible();

  const api = await (await page.request.get(`/api/clusters/${cluster.id}/pending-changes`)).json();
  expect(api.pending).toBe(true);
  expect(api.realservers).toHaveLength(1);
  expect(api.realservers[0].change).toBe("added");
});
