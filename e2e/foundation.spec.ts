// [FOUNDATION] A new user signs in, builds a cluster with one service and two realservers through
// the UI, reloads, and finds everything still there (and in the API, i.e. in the database).
import { expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "./playwright.config.ts";

/** The cluster page's services (the pending-changes bar above names them too). */
const services = (page: Page) => page.getByRole("region", { name: "Virtual services" });
/** The service's realserver rows (the NAT hint below them names the addresses too). */
const realservers = (page: Page) =>
  page.getByRole("table", { name: "Realservers of TCP 192.168.77.100:80" });

test("[FOUNDATION] log in, create cluster, service and two realservers; they survive a reload", async ({
  page,
}) => {
  const clusterName = `web-${Date.now()}`;
  await page.goto("/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();

  await page.getByRole("button", { name: "Create cluster" }).first().click();
  await page.getByLabel("Name").fill(clusterName);
  await page.getByRole("dialog").getByRole("button", { name: "Create cluster" }).click();
  // Creating a cluster opens its page.
  await expect(page).toHaveURL(/\/clusters\/[^/]+$/);
  await expect(page.getByRole("heading", { name: clusterName })).toBeVisible();

  await page.getByRole("button", { name: "Add service" }).first().click();
  const serviceForm = page.getByRole("dialog");
  await serviceForm.getByLabel("VIP").fill("192.168.77.100");
  await serviceForm.getByLabel("Port").fill("80");
  await serviceForm.getByLabel("Scheduler").selectOption("rr");
  await serviceForm.getByRole("button", { name: "Save" }).click();
  await expect(serviceForm).toBeHidden();
  await expect(services(page).getByText("192.168.77.100:80")).toBeVisible();

  for (const address of ["10.10.0.11", "10.10.0.12"]) {
    await page.getByRole("button", { name: "Add realserver" }).first().click();
    const rsForm = page.getByRole("dialog");
    await rsForm.getByLabel("Address").fill(address);
    await rsForm.getByLabel("Port").fill("80");
    await rsForm.getByRole("button", { name: "Save" }).click();
    await expect(rsForm).toBeHidden();
    await expect(realservers(page).getByText(address)).toBeVisible();
  }

  // A bad value is refused next to its field, not with a crash.
  await page.getByRole("button", { name: "Add realserver" }).first().click();
  const badForm = page.getByRole("dialog");
  await badForm.getByLabel("Address").fill("10.10.0.999");
  await badForm.getByLabel("Port").fill("80");
  await badForm.getByRole("button", { name: "Save" }).click();
  await expect(badForm.getByText(/must be an IPv4 or IPv6 address/)).toBeVisible();
  await badForm.getByRole("button", { name: "Cancel" }).click();

  await page.reload();
  await expect(page.getByRole("heading", { name: clusterName })).toBeVisible();
  await expect(services(page).getByText("192.168.77.100:80")).toBeVisible();
  await expect(realservers(page).getByText("10.10.0.11")).toBeVisible();
  await expect(realservers(page).getByText("10.10.0.12")).toBeVisible();

  // What the UI shows is what the API (the database) holds.
  const clusters = await (await page.request.get("/api/clusters")).json();
  const cluster = clusters.find((c: { name: string }) => c.name === clusterName);
  expect(cluster.services).toHaveLength(1);
  expect(cluster.services[0]).toMatchObject({
    vip: "192.168.77.100",
    port: 80,
    scheduler: "rr",
    forwarding: "nat",
  });
  expect(cluster.services[0].realservers.map((r: { address: string }) => r.address).sort()).toEqual(
    ["10.10.0.11", "10.10.0.12"],
  );
});
