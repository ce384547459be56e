// [ADMIN] Roles, tokens and the audit log as a person uses them: an admin creates a viewer, the
// viewer sees the clusters but no way to change them, a token is created and revoked, and the
// audit log shows what happened.
import { expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "./playwright.config.ts";

async function logIn(page: Page, username: string, password: string) {
  await page.goto("/");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

test("[ADMIN] a viewer reads but cannot change; tokens are shown once and revocable; all of it is audited", async ({
  page,
}) => {
  const viewer = `viewer${Date.now() % 100000}`;
  const cluster = `audited-${Date.now()}`;
  await logIn(page, "admin", E2E_ADMIN_PASSWORD);

  // Something for the viewer to look at.
  await page.getByRole("link", { name: "Clusters" }).click();
  await page.getByRole("button", { name: "Create cluster" }).first().click();
  await page.getByRole("dialog").getByLabel("Name").fill(cluster);
  await page.getByRole("dialog").getByRole("button", { name: "Create cluster" }).click();
  // Creating a cluster opens its page.
  await expect(page.getByRole("heading", { level: 1, name: cluster })).toBeVisible();

  await page.getByRole("link", { name: "Users" }).click();
  await page.getByRole("button", { name: "Add user" }).first().click();
  const add = page.getByRole("dialog");
  await add.getByLabel("Username").fill(viewer);
  await add.getByLabel("Password").fill("viewer-password-1");
  await add.getByLabel("Role").selectOption("viewer");
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(add).toBeHidden();
  await expect(page.getByRole("cell", { name: viewer }).first()).toBeVisible();

  // A token: shown once, works for a script, then revoked.
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByRole("button", { name: "Create token" }).first().click();
  await page.getByRole("dialog").getByLabel("Name").fill("ci");
  await page.getByRole("dialog").getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("Copy it now — it will not be shown again")).toBeVisible();
  const token = await page.getByRole("textbox", { name: "API token" }).inputValue();
  expect(token).toMatch(/^lvsp_/);
  const withToken = await page.request.get("/api/clusters", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(withToken.status()).toBe(200);
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: "Revoke token ci" }).first().click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  const revoked = await page.request.get("/api/clusters", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(revoked.status()).toBe(401);

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByText("Revoked token").first()).toBeVisible();
  await expect(page.getByText("Created user").first()).toBeVisible();

  // The viewer: sees the cluster, no way to change anything, and the API agrees.
  await page.getByRole("button", { name: "Log out" }).click();
  await logIn(page, viewer, "viewer-password-1");
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.getByRole("link", { name: cluster }).click();
  await expect(page.getByRole("heading", { name: cluster })).toBeVisible();
  await expect(page.getByText("Read-only: viewer role").first()).toBeVisible();
  await expect(
    page.getByRole("button", { name: /^(Plan changes|Add service|Set director|Delete cluster)/ }),
  ).toHaveCount(0);
  const attempt = await page.request.post("/api/clusters", { data: { name: "sneaky" } });
  expect(attempt.status()).toBe(403);
});
