// [WORDS] The first hour in words that match what happens: creating a cluster opens it; form
// errors go as soon as the field is right; tall dialogs keep Save in view; the Validation box
// says what is missing instead of "passes every check", in the page's words (no codes, no
// `services[0]` paths), the plan's warnings in the same list; a NAT VIP inside the realservers'
// subnet is warned of; the NAT hint names the realservers and the route the panel adds; each VIP
// says where it goes; a realserver whose host was deleted is named; realservers are added from a
// pasted list; plans and applies are named after what they do (and the plan dialog is retitled
// once the apply starts); a failure carries a plain-words hint beside the tool's raw output.
// Against the real server; the applies run on a sandboxed director (its own network and /etc).
import { rmSync } from "node:fs";
import { type ClientKeys, makeClientKeys } from "@lvs-panel/remote/test/sshd";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { type SandboxHost, startSandboxHost } from "../apps/api/test/sandbox-host.ts";
import { E2E_ADMIN_PASSWORD } from "./playwright.config.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API, read by field in assertions
type Json = any;

const run = Date.now().toString(36);

async function logIn(page: Page) {
  await page.goto("/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

async function call(
  request: APIRequestContext,
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  url: string,
  data?: unknown,
): Promise<Json> {
  const res = await request.fetch(url, { method, ...(data === undefined ? {} : { data }) });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  const text = await res.text();
  return text === "" ? undefined : JSON.parse(text);
}

/** A cluster with a director on a host the panel never reaches (nothing here is applied). */
async function clusterWithDirector(
  request: APIRequestContext,
  name: string,
  director: { dip?: string; interface?: string; vipInterface?: string } = {},
) {
  const host = await call(request, "POST", "/api/hosts", {
    name: `${name}-lb`,
    address: "192.0.2.1",
    auth: { type: "password", password: "never-used" },
  });
  const cluster = await call(request, "POST", "/api/clusters", { name });
  await call(request, "PUT", `/api/clusters/${cluster.id}/director`, {
    hostId: host.id,
    dip: director.dip ?? "10.10.0.1",
    interface: director.interface ?? "lan0",
    ...(director.vipInterface ? { vipInterface: director.vipInterface } : {}),
  });
  return cluster as { id: string };
}

async function addService(request: APIRequestContext, clusterId: string, service: object) {
  return (await call(request, "POST", `/api/clusters/${clusterId}/services`, {
    protocol: "tcp",
    port: 80,
    scheduler: "rr",
    ...service,
  })) as { id: string };
}

/** What no operator should read: the domain's codes and paths. */
const INTERNAL = /\b[A-Z]+(?:_[A-Z]+)+\b|services\[\d+\]/;

test.describe("[WORDS] on the cluster page", () => {
  test.beforeEach(async ({ page }) => logIn(page));

  test("[WORDS][CREATE] creating a cluster opens it; its name's error goes as soon as it is typed; the empty cluster's Validation says what is missing", async ({
    page,
  }) => {
    const name = `words-new-${run}`;
    await page.getByRole("button", { name: "Create cluster" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create cluster" });
    await dialog.getByRole("button", { name: "Create cluster" }).click();
    await expect(dialog.getByText("is required")).toBeVisible();
    // Typing fixes it: the error goes before anything is submitted again.
    await dialog.getByLabel("Name").fill(name);
    await expect(dialog.getByText("is required")).toBeHidden();
    await dialog.getByRole("button", { name: "Create cluster" }).click();

    await expect(page).toHaveURL(/\/clusters\/[^/]+$/);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const validation = page.getByRole("region", { name: "Validation" });
    await expect(validation).toContainText(
      "Nothing to check yet: set the director, then add the services clients connect to.",
    );
    await expect(validation).not.toContainText("passes every check");
    await expect(validation).not.toContainText("No problems found");
  });

  test("[WORDS][NAT] a NAT VIP in the realservers' subnet is warned of in words; the hint names each realserver's route; each VIP says where it goes", async ({
    page,
  }) => {
    const cluster = await clusterWithDirector(page.request, `words-nat-${run}`, {
      vipInterface: "ext0",
    });
    const inside = await addService(page.request, cluster.id, {
      vip: "10.10.0.200",
      forwarding: "nat",
    });
    await addService(page.request, cluster.id, { vip: "10.10.0.201", forwarding: "dr" });
    const host = await call(page.request, "POST", "/api/hosts", {
      name: `words-nat-rs-${run}`,
      address: "10.10.0.11",
      auth: { type: "password", password: "never-used" },
    });
    for (const address of ["10.10.0.11", "10.10.0.12"]) {
      await call(page.request, "POST", `/api/services/${inside.id}/realservers`, {
        address,
        port: 8080,
        hostId: host.id,
      });
    }
    await page.goto(`/clusters/${cluster.id}`);

    const nat = page.getByRole("region", { name: "Service TCP 10.10.0.200:80" });
    await expect(
      nat.getByRole("list", { name: "What the panel does on the realservers" }),
    ).toHaveText(
      "NAT: on 10.10.0.11 and 10.10.0.12 the panel adds a policy route: replies from port 8080 go back through the DIP 10.10.0.1; the default gateway and all other traffic (SSH included) are left alone.",
    );
    await expect(nat).not.toContainText("default gateway and all other traffic are left alone");
    await expect(nat).not.toContainText("must use the DIP as their default gateway");
    await expect(nat.getByText("ext0 on the director")).toBeVisible();
    const dr = page.getByRole("region", { name: "Service TCP 10.10.0.201:80" });
    await expect(dr.getByText("lan0 on the director, lo on each realserver")).toBeVisible();

    const validation = page.getByRole("region", { name: "Validation" });
    const warning = validation.getByRole("listitem").filter({ hasText: "NAT VIP 10.10.0.200" });
    await expect(warning).toContainText(
      "NAT VIP 10.10.0.200 is inside the realservers' subnet 10.10.0.1/24: clients on that subnet get their replies straight from a realserver",
    );
    await expect(warning).toContainText("Service TCP 10.10.0.200:80 › VIP");
    await expect(validation).not.toContainText(INTERNAL);
    // The service's card counts it too.
    await expect(nat.getByText("1 warning")).toBeVisible();
  });

  test("[WORDS][VALIDATION] a realserver whose host was deleted is named, not passed; no director is said, not passed", async ({
    page,
  }) => {
    const cluster = await clusterWithDirector(page.request, `words-gone-${run}`);
    const service = await addService(page.request, cluster.id, {
      vip: "10.10.0.200",
      forwarding: "dr",
    });
    const host = await call(page.request, "POST", "/api/hosts", {
      name: `words-gone-rs-${run}`,
      address: "10.10.0.11",
      auth: { type: "password", password: "never-used" },
    });
    await call(page.request, "POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.11",
      port: 80,
      hostId: host.id,
    });
    await page.goto(`/clusters/${cluster.id}`);
    const validation = page.getByRole("region", { name: "Validation" });
    await expect(validation).toContainText(
      "No problems found in the director, 1 service and 1 realserver.",
    );

    await call(page.request, "DELETE", `/api/hosts/${host.id}?force=true`);
    await page.reload();
    const gone = validation.getByRole("listitem").filter({ hasText: "10.10.0.11" });
    await expect(gone).toContainText(
      "Realserver 10.10.0.11 has no SSH host (none was linked, or its host was deleted): the panel configures nothing on it, so set up the VIP on lo and the ARP settings by hand, or link it to a host",
    );
    await expect(gone).toContainText(
      "Service TCP 10.10.0.200:80 › realserver 10.10.0.11:80 › SSH host",
    );
    await expect(validation).not.toContainText(/passes every check|No problems found/);
    await expect(validation).not.toContainText(INTERNAL);

    // Without a director there is nothing to pass: it says so.
    const bare = await call(page.request, "POST", "/api/clusters", { name: `words-bare-${run}` });
    await addService(page.request, bare.id, { vip: "10.10.0.200", forwarding: "dr" });
    await page.goto(`/clusters/${bare.id}`);
    await expect(validation).toContainText(
      "No director set; subnet and return-route checks skipped",
    );
    await expect(validation).toContainText("Director");
    await expect(validation).not.toContainText(/passes every check|No problems found/);
    await expect(validation).not.toContainText(INTERNAL);
  });

  test("[WORDS][FORMS] the service dialog's error goes as soon as the field is right; a tall dialog keeps Save in view", async ({
    page,
  }) => {
    const cluster = await call(page.request, "POST", "/api/clusters", {
      name: `words-form-${run}`,
      engine: "keepalived",
    });
    await page.setViewportSize({ width: 1000, height: 560 });
    await page.goto(`/clusters/${cluster.id}`);
    await page.getByRole("button", { name: "Add service" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add service" });
    const save = dialog.getByRole("button", { name: "Save" });
    // The keepalived settings make the form taller than the window: Save stays in view.
    await expect(dialog.getByLabel("Sorry server address")).toBeAttached();
    await expect(save).toBeInViewport({ ratio: 1 });

    await dialog.getByLabel("VIP").fill("10.10.0.999");
    await dialog.getByLabel("Port", { exact: true }).fill("80");
    await save.click();
    const vipError = dialog.getByText("must be an IPv4 or IPv6 address");
    await expect(vipError).toBeVisible();
    await dialog.getByLabel("VIP").fill("10.10.0.9");
    await expect(vipError).toBeHidden();
    // While it is still wrong the message stays (and follows what is typed).
    await dialog.getByLabel("Port", { exact: true }).fill("0");
    await save.click();
    await expect(dialog.getByText("must be from 1 to 65535")).toBeVisible();
    await dialog.getByLabel("Port", { exact: true }).fill("70000");
    await expect(dialog.getByText("must be from 1 to 65535")).toBeVisible();
    await dialog.getByLabel("Port", { exact: true }).fill("80");
    await expect(dialog.getByText("must be from 1 to 65535")).toBeHidden();

    // Scrolled to the top and to the bottom of the form, Save is still fully in view, and its
    // bar ends where the dialog does: nothing of the form shows below it.
    for (const field of ["Sorry server port", "VIP"]) {
      await dialog.getByLabel(field, { exact: true }).scrollIntoViewIfNeeded();
      await expect(save).toBeInViewport({ ratio: 1 });
      const bar = await save.locator("..").boundingBox();
      const frame = await dialog.boundingBox();
      expect(
        Math.abs((bar?.y ?? 0) + (bar?.height ?? 0) - ((frame?.y ?? 0) + (frame?.height ?? 0))),
      ).toBeLessThan(2);
    }
    await save.click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("region", { name: "Service TCP 10.10.0.9:80" })).toBeVisible();
  });

  test("[WORDS][BULK] realservers added from a pasted list: a bad line is named, fixed, then all are added at once", async ({
    page,
  }) => {
    const cluster = await clusterWithDirector(page.request, `words-bulk-${run}`);
    await addService(page.request, cluster.id, { vip: "10.10.0.200", forwarding: "dr" });
    await page.goto(`/clusters/${cluster.id}`);
    const card = page.getByRole("region", { name: "Service TCP 10.10.0.200:80" });
    await card.getByRole("button", { name: "Add from a list" }).click();
    const dialog = page.getByRole("dialog", { name: "Add realservers to TCP 10.10.0.200:80" });
    const list = dialog.getByLabel("Realservers");
    await list.fill("10.10.0.11\n10.10.0.999 2\n\n# spare\n10.10.0.13:80 0");
    await expect(dialog.getByText("2 realservers read, 1 line not understood")).toBeVisible();
    await dialog.getByRole("button", { name: "Add 2 realservers" }).click();
    const problems = dialog.getByRole("list", { name: "Lines to fix" });
    await expect(problems).toHaveText('Line 2: "10.10.0.999" is not an IPv4 or IPv6 address');
    // Fixing the line clears it at once; nothing was sent yet.
    await list.fill("10.10.0.11\n10.10.0.12 2\n\n# spare\n10.10.0.13:80 0");
    await expect(problems).toBeHidden();
    await expect(dialog.getByText("3 realservers to add")).toBeVisible();
    await dialog.getByRole("button", { name: "Add 3 realservers" }).click();
    await expect(dialog).toBeHidden();

    const table = page.getByRole("table", { name: "Realservers of TCP 10.10.0.200:80" });
    for (const address of ["10.10.0.11", "10.10.0.12", "10.10.0.13"]) {
      await expect(table.getByRole("row", { name: new RegExp(address) })).toBeVisible();
    }
    const got = await call(page.request, "GET", `/api/clusters/${cluster.id}`);
    expect(got.services[0].realservers.map((r: Json) => [r.address, r.port, r.weight])).toEqual([
      ["10.10.0.11", 80, 1],
      ["10.10.0.12", 80, 2],
      ["10.10.0.13", 80, 0],
    ]);

    // One already there: the API refuses the whole list, and the dialog names its line.
    await card.getByRole("button", { name: "Add from a list" }).click();
    await dialog.getByLabel("Realservers").fill("10.10.0.14\n10.10.0.11");
    await dialog.getByRole("button", { name: "Add 1 realserver" }).click();
    await expect(dialog.getByRole("list", { name: "Lines to fix" })).toHaveText(
      "Line 2: 10.10.0.11:80 is already in this service",
    );
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });
});

test.describe("[WORDS] applies on a sandboxed director", () => {
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  let keys: ClientKeys;
  let sandbox: SandboxHost;
  let clusterId = "";

  test.beforeAll(async () => {
    keys = await makeClientKeys();
    sandbox = await startSandboxHost({
      name: `words-director-${run}`,
      authorizedKeys: keys.authorizedKeys,
      lan: "10.10.0.1/24",
    });
  });
  test.afterAll(async () => {
    await sandbox?.stop();
    if (keys) rmSync(keys.dir, { recursive: true, force: true });
  });

  test.beforeEach(async ({ page }) => logIn(page));

  test("[WORDS][NAMES] a plan and its apply are named after what they do; the dialog is retitled once the apply starts", async ({
    page,
  }) => {
    const { id: hostId } = await call(page.request, "POST", "/api/hosts", {
      name: sandbox.name,
      address: sandbox.address,
      auth: { type: "key", privateKey: keys.ed25519 },
    });
    const scan = await call(page.request, "POST", `/api/hosts/${hostId}/scan`);
    await call(page.request, "POST", `/api/hosts/${hostId}/trust`, {
      fingerprint: scan.fingerprint,
    });
    const cluster = await call(page.request, "POST", "/api/clusters", {
      name: `words-apply-${run}`,
    });
    clusterId = cluster.id;
    await call(page.request, "PUT", `/api/clusters/${clusterId}/director`, {
      hostId,
      dip: "10.10.0.1",
      interface: "lan0",
    });
    const service = await addService(page.request, clusterId, {
      vip: "10.10.0.200",
      forwarding: "dr",
    });
    for (const address of ["10.10.0.11", "10.10.0.12"]) {
      await call(page.request, "POST", `/api/services/${service.id}/realservers`, {
        address,
        port: 80,
        weight: 5,
      });
    }

    await page.goto(`/clusters/${clusterId}`);
    await page.getByRole("button", { name: "Plan changes" }).click();
    const first = page.getByRole("dialog", {
      name: "Plan preview: Add service TCP 10.10.0.200:80 with 2 realservers",
    });
    await expect(first).toBeVisible({ timeout: 30_000 });
    await expect(
      first.getByText("Add service TCP 10.10.0.200:80 with 2 realservers", { exact: true }),
    ).toBeVisible();
    await first.getByRole("button", { name: "Apply", exact: true }).click();
    const applied = page.getByRole("dialog", {
      name: "Applied: Add service TCP 10.10.0.200:80 with 2 realservers",
    });
    await expect(applied.getByRole("status")).toHaveText("Apply succeeded", { timeout: 60_000 });
    await applied.getByRole("button", { name: "Close" }).click();

    // Drain one: the plan says so by name, and the apply is retitled while it runs.
    const table = page.getByRole("table", { name: "Realservers of TCP 10.10.0.200:80" });
    await table.getByRole("button", { name: "Drain realserver 10.10.0.11:80" }).click();
    await expect(table.getByRole("row", { name: /10\.10\.0\.11/ })).toContainText("Draining");
    await page.getByRole("button", { name: "Plan changes" }).click();
    const title = "Drain 10.10.0.11 in TCP 10.10.0.200:80";
    const preview = page.getByRole("dialog", { name: `Plan preview: ${title}` });
    await expect(preview).toBeVisible({ timeout: 30_000 });
    const hold = sandbox.holdIpvsadmOn("-w 0");
    await preview.getByRole("button", { name: "Apply", exact: true }).click();
    const applying = page.getByRole("dialog", { name: `Applying: ${title}` });
    try {
      await hold.reached(30_000);
      await expect(applying).toBeVisible();
    } finally {
      hold.release();
    }
    const done = page.getByRole("dialog", { name: `Applied: ${title}` });
    await expect(done.getByRole("status")).toHaveText("Apply succeeded", { timeout: 60_000 });
    await done.getByRole("button", { name: "Close" }).click();

    // The history and the apply's own page carry the same name, never "and 1 more change".
    const history = page.getByRole("region", { name: "Apply history" });
    const row = history.getByRole("link").filter({ hasText: title });
    await expect(row).toBeVisible();
    await expect(history).not.toContainText(/more change/);
    await row.click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByText(/^Apply of .* by admin$/)).toBeVisible();
  });

  test("[WORDS][FAILURE] a failed apply's raw output comes with a hint in plain words", async ({
    page,
  }) => {
    expect(clusterId, "the cluster of the test before").not.toBe("");
    const cluster = await call(page.request, "GET", `/api/clusters/${clusterId}`);
    // An interface the director does not have: iproute2 says `Cannot find device "eth9"`.
    await call(page.request, "PUT", `/api/clusters/${clusterId}/director`, {
      hostId: cluster.director.hostId,
      dip: "10.10.0.1",
      interface: "eth9",
    });
    await page.goto(`/clusters/${clusterId}`);
    await page.getByRole("button", { name: "Plan changes" }).click();
    const preview = page.getByRole("dialog", { name: /^Plan preview: / });
    const apply = preview.getByRole("button", { name: "Apply", exact: true });
    await expect(apply).toBeEnabled({ timeout: 30_000 });
    await apply.click();
    // Named after what it does: the VIP moves to the interface the cluster now names.
    await expect(
      page.getByRole("dialog", {
        name: "Plan preview: Move VIP 10.10.0.200 on the director from lan0 to eth9",
      }),
    ).toBeVisible();
    const failed = page.getByRole("dialog", {
      name: "Apply rolled back: Move VIP 10.10.0.200 on the director from lan0 to eth9",
    });
    await expect(failed.getByRole("status")).toHaveText(/rolled back/i, { timeout: 60_000 });
    const outcome = failed.getByRole("status").locator("xpath=../..");
    await expect(outcome).toContainText('Cannot find device "eth9"');
    await expect(outcome.getByRole("list", { name: "What this means" })).toContainText(
      "The interface named in the cluster does not exist on this host: check the director's interface names (ip link) and fix them on the cluster page.",
    );
    // The failed step's own output carries it too.
    await expect(
      failed.getByRole("list", { name: "What this means" }).filter({ hasText: "interface named" }),
    ).not.toHaveCount(0);
  });
});
