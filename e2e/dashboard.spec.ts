// [DASHBOARD] The overview on the landing page and the realserver controls on the cluster page:
// counts, health and the pending-changes badge; weight edited in place (with a readable error for a
// bad value), enable/disable, drain/undrain; a viewer sees the values but no controls. Each change
// is checked in the API (the database) as well as on screen. The lab suite covers applying them.
// The director's live stream is played by the test (the API's `tick` and `error` events), so the
// counts, their going stale and the absence of a chattering live region are checked without a
// director; a failing /api/overview is faked the same way.
import { expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "./playwright.config.ts";

async function logIn(page: Page, username: string, password: string) {
  await page.goto("/");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

async function apiPost(page: Page, url: string, data: unknown) {
  const res = await page.request.post(url, { data });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

test("[DASHBOARD] overview counts, health and pending badge; inline weight edit, enable/disable, drain", async ({
  page,
  browser,
}) => {
  const name = `dash-${Date.now()}`;
  await logIn(page, "admin", E2E_ADMIN_PASSWORD);

  // A cluster with one service and two realservers; one realserver's host has no trusted key.
  const cluster = await apiPost(page, "/api/clusters", { name });
  const service = await apiPost(page, `/api/clusters/${cluster.id}/services`, {
    protocol: "tcp",
    vip: "192.168.77.100",
    port: 80,
    scheduler: "wlc",
    forwarding: "nat",
  });
  const host = await apiPost(page, "/api/hosts", {
    name: `${name}-box`,
    address: "127.0.0.1",
    port: 1,
    auth: { type: "password", password: "not-used" },
  });
  const rs1 = await apiPost(page, `/api/services/${service.id}/realservers`, {
    address: "10.10.0.11",
    port: 80,
  });
  await apiPost(page, `/api/services/${service.id}/realservers`, {
    address: "10.10.0.12",
    port: 80,
    hostId: host.id,
  });

  await page.goto("/clusters");
  const row = page.getByRole("listitem", { name: `Cluster ${name}` });
  await expect(row.getByText("1 service", { exact: true })).toBeVisible();
  await expect(row.getByText("2 realservers", { exact: true })).toBeVisible();
  await expect(row.getByText("Never")).toBeVisible();
  await expect(row.getByText("0/1 reachable")).toBeVisible();
  await expect(row.getByRole("list", { name: "Unreachable hosts" })).toContainText(
    `${name}-box (realserver): the host key of "${name}-box" is not trusted yet`,
  );
  const pending = row.getByRole("link", {
    name: `Pending changes in ${name}: open to plan and apply`,
  });
  await expect(pending).toBeVisible();
  await pending.click();
  await expect(page.getByRole("heading", { name })).toBeVisible();

  // Weight, in place: a bad value is refused next to the field; Escape cancels; Enter saves.
  const realservers = page.getByRole("table", { name: "Realservers of TCP 192.168.77.100:80" });
  await realservers.getByRole("button", { name: "Weight of 10.10.0.11:80: 1. Edit" }).click();
  const weight = realservers.getByRole("textbox", { name: "Weight of 10.10.0.11:80" });
  await expect(weight).toBeFocused();
  await weight.fill("lots");
  await weight.press("Enter");
  await expect(realservers.getByRole("alert")).toHaveText(
    "Weight must be a whole number from 0 to 65535",
  );
  await expect(weight).toHaveAttribute("aria-invalid", "true");
  await weight.fill("70000");
  await weight.press("Enter");
  await expect(realservers.getByRole("alert")).toHaveText("Weight must be from 0 to 65535");
  await weight.press("Escape");
  await expect(weight).toBeHidden();
  await realservers.getByRole("button", { name: "Weight of 10.10.0.11:80: 1. Edit" }).click();
  await weight.fill("5");
  await weight.press("Enter");
  await expect(
    realservers.getByRole("button", { name: "Weight of 10.10.0.11:80: 5. Edit" }),
  ).toBeVisible();
  // Leaving the field saves too.
  await realservers.getByRole("button", { name: "Weight of 10.10.0.11:80: 5. Edit" }).click();
  await weight.fill("7");
  await page.getByRole("heading", { name }).click();
  await expect(
    realservers.getByRole("button", { name: "Weight of 10.10.0.11:80: 7. Edit" }),
  ).toBeVisible();

  // Disable and enable again.
  await realservers.getByRole("switch", { name: "Enabled 10.10.0.12:80: On" }).click();
  await expect(
    realservers.getByRole("switch", { name: "Enabled 10.10.0.12:80: Off" }),
  ).toBeVisible();
  await expect(realservers.getByRole("row", { name: /10\.10\.0\.12:80/ })).toContainText(
    "Disabled",
  );
  let saved = await (await page.request.get(`/api/clusters/${cluster.id}`)).json();
  expect(saved.services[0].realservers[1].enabled).toBe(false);
  await realservers.getByRole("switch", { name: "Enabled 10.10.0.12:80: Off" }).click();
  await expect(
    realservers.getByRole("switch", { name: "Enabled 10.10.0.12:80: On" }),
  ).toBeVisible();

  // Drain keeps the weight; undrain.
  await realservers.getByRole("button", { name: "Drain realserver 10.10.0.11:80" }).click();
  const rs1Row = realservers.getByRole("row", { name: /10\.10\.0\.11:80/ });
  await expect(rs1Row).toContainText("Draining");
  await expect(rs1Row).toContainText("(0 while draining)");
  saved = await (await page.request.get(`/api/clusters/${cluster.id}`)).json();
  expect(saved.services[0].realservers[0]).toMatchObject({ id: rs1.id, weight: 7, draining: true });

  // A viewer sees weights and states but no controls.
  const viewer = `dviewer${Date.now() % 100000}`;
  await apiPost(page, "/api/users", {
    username: viewer,
    password: "viewer-password-1",
    role: "viewer",
  });
  const context = await browser.newContext();
  const viewerPage = await context.newPage();
  await logIn(viewerPage, viewer, "viewer-password-1");
  await viewerPage.goto(`/clusters/${cluster.id}`);
  const viewerTable = viewerPage.getByRole("table", {
    name: "Realservers of TCP 192.168.77.100:80",
  });
  await expect(viewerTable.getByRole("row", { name: /10\.10\.0\.11:80/ })).toContainText("7");
  await expect(viewerTable.getByRole("row", { name: /10\.10\.0\.11:80/ })).toContainText(
    "Draining",
  );
  await expect(viewerTable.getByRole("button")).toHaveCount(0);
  await expect(viewerTable.getByRole("switch")).toHaveCount(0);
  await context.close();

  await realservers.getByRole("button", { name: "Undrain realserver 10.10.0.11:80" }).click();
  await expect(rs1Row).toContainText("Enabled");
  saved = await (await page.request.get(`/api/clusters/${cluster.id}`)).json();
  expect(saved.services[0].realservers[0]).toMatchObject({ weight: 7, draining: false });

  // Back on the overview the badge is still there: nothing has been applied.
  await page.goto("/clusters");
  await expect(
    page
      .getByRole("listitem", { name: `Cluster ${name}` })
      .getByRole("link", { name: /Pending changes/ }),
  ).toBeVisible();
});

/** A stream the test drives: each connection sends what `events()` says, then ends (retry 300 ms). */
function sse(events: { event: string; data: unknown }[]): string {
  return `retry: 300\n\n${events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join("")}`;
}

test("[DASHBOARD] live counts are no live region and go stale on a director error; undrain while disabled; weight 0 is labelled", async ({
  page,
}) => {
  const name = `dash-live-${Date.now()}`;
  await logIn(page, "admin", E2E_ADMIN_PASSWORD);
  const cluster = await apiPost(page, "/api/clusters", { name });
  const host = await apiPost(page, "/api/hosts", {
    name: `${name}-lb`,
    address: "127.0.0.1",
    port: 1,
    auth: { type: "password", password: "not-used" },
  });
  const director = await page.request.put(`/api/clusters/${cluster.id}/director`, {
    data: { hostId: host.id, dip: "10.10.0.1", interface: "eth0" },
  });
  expect(director.status(), await director.text()).toBe(200);
  const service = await apiPost(page, `/api/clusters/${cluster.id}/services`, {
    protocol: "tcp",
    vip: "192.168.77.100",
    port: 80,
    scheduler: "wlc",
    forwarding: "nat",
  });
  // The old way to drain: enabled at weight 0.
  await apiPost(page, `/api/services/${service.id}/realservers`, {
    address: "10.10.0.11",
    port: 80,
    weight: 0,
  });
  const parked = await apiPost(page, `/api/services/${service.id}/realservers`, {
    address: "10.10.0.12",
    port: 80,
    weight: 4,
  });
  const patched = await page.request.patch(`/api/realservers/${parked.id}`, {
    data: { enabled: false, draining: true },
  });
  expect(patched.status(), await patched.text()).toBe(200);

  // The director's live stream, as the API sends it: readings, then the director failing.
  const at = new Date().toISOString();
  const tick = {
    at,
    readMs: 3,
    processMs: 1,
    totals: { entries: 4, templates: 0, byState: { ESTABLISHED: 3, TIME_WAIT: 1 }, services: {} },
    matched: 4,
    truncated: false,
    rows: [],
    parseErrors: 0,
    services: [
      {
        key: "TCP 192.168.77.100:80",
        activeConns: 3,
        inactiveConns: 1,
        stats: {},
        rates: {},
        realservers: [
          {
            key: "10.10.0.11:80",
            weight: 0,
            activeConns: 3,
            inactiveConns: 1,
            stats: {},
            rates: {},
          },
        ],
      },
    ],
  };
  let directorDown = false;
  await page.route(`**/api/clusters/${cluster.id}/live?*`, (route) =>
    route.fulfill({
      status: 200,
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      body: directorDown
        ? sse([{ event: "error", data: { message: "ssh: connect ECONNREFUSED 127.0.0.1:1", at } }])
        : sse([{ event: "tick", data: tick }]),
    }),
  );

  await page.goto(`/clusters/${cluster.id}`);
  const realservers = page.getByRole("table", { name: "Realservers of TCP 192.168.77.100:80" });
  const drainedRow = realservers.getByRole("row", { name: /10\.10\.0\.11:80/ });
  const parkedRow = realservers.getByRole("row", { name: /10\.10\.0\.12:80/ });

  // Counts shown, findable by name, but no live region: screen readers are not told every 1.5 s.
  const counts = realservers.getByRole("status", { name: /^Connections to 10\.10\.0\.11:80: / });
  await expect(counts).toHaveAccessibleName("Connections to 10.10.0.11:80: 3 active, 1 inactive");
  await expect(counts).toHaveAttribute("aria-live", "off");
  await expect(
    realservers.locator(
      '[aria-live="polite"], [aria-live="assertive"], [role="status"]:not([aria-live="off"]), [role="log"]',
    ),
  ).toHaveCount(0);
  await expect(page.getByRole("alert")).toHaveCount(0);

  // Weight 0 without draining is not "Enabled" in green.
  await expect(drainedRow).toContainText("Weight 0");
  await expect(drainedRow).not.toContainText("Enabled");

  // The director stops answering: the last counts stay, marked stale, and the page says why.
  directorDown = true;
  await expect(page.getByRole("alert")).toContainText("Cannot read the director");
  await expect(page.getByRole("alert")).toContainText("ssh: connect ECONNREFUSED 127.0.0.1:1");
  await expect(counts).toHaveAccessibleName(
    "Connections to 10.10.0.11:80: 3 active, 1 inactive (stale)",
  );
  await expect(drainedRow).toContainText("(stale)");

  // Disabled and draining: still undrainable, and it stays disabled.
  await expect(parkedRow).toContainText("Disabled");
  await expect(parkedRow).toContainText("Draining");
  await realservers.getByRole("button", { name: "Undrain realserver 10.10.0.12:80" }).click();
  await expect(
    realservers.getByRole("button", { name: "Drain realserver 10.10.0.12:80" }),
  ).toBeVisible();
  await expect(parkedRow).not.toContainText("Draining");
  const saved = await (await page.request.get(`/api/clusters/${cluster.id}`)).json();
  expect(saved.services[0].realservers[1]).toMatchObject({
    id: parked.id,
    weight: 4,
    enabled: false,
    draining: false,
  });
});

test("[DASHBOARD] a failing overview is shown as an error, not as checking forever", async ({
  page,
}) => {
  const name = `dash-fail-${Date.now()}`;
  await logIn(page, "admin", E2E_ADMIN_PASSWORD);
  await apiPost(page, "/api/clusters", { name });
  await page.route("**/api/overview", (route) =>
    route.fulfill({
      status: 503,
      json: { statusCode: 503, code: "UNAVAILABLE", message: "database is locked" },
    }),
  );
  await page.goto("/clusters");
  const row = page.getByRole("listitem", { name: `Cluster ${name}` });
  const alert = page.getByRole("alert");
  // The client retries a 5xx twice before giving up.
  await expect(alert).toContainText(
    "Could not load the clusters’ health, last applies and pending changes.",
    { timeout: 20_000 },
  );
  await expect(alert).toContainText("database is locked");
  await expect(row).toContainText("Health unavailable");
  await expect(row.getByText("Checking…")).toHaveCount(0);

  // Back to normal: the error goes and the health shows.
  await page.unroute("**/api/overview");
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(alert).toHaveCount(0);
  await expect(row.getByText("Never")).toBeVisible();
});
