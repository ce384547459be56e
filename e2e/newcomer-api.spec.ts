// [NEWCOMER] The live view and the API for someone new to the panel, in Debian's Chromium against
// the real server: the live view's client filter (a prefix or one client's ip:port, saying so and
// explaining what it refuses) and its charts (active and inactive connections, ticks that never
// repeat), read from a stand-in director over real SSH; the API docs (linked, with Authorize);
// read-only and expiring tokens; the audit log's apply outcomes and filters, from real applies on
// a sandboxed director; and the overview's "checking…" before a host's first probe.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ClientKeys, makeClientKeys } from "@lvs-panel/remote/test/sshd";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { type SandboxHost, startSandboxHost } from "../apps/api/test/sandbox-host.ts";
import { type StandInDirector, startStandInDirector } from "../apps/api/test/stand-in-director.ts";
import { E2E_ADMIN_PASSWORD } from "./playwright.config.ts";

const run = Date.now().toString(36);

async function logIn(page: Page, username = "admin", password = E2E_ADMIN_PASSWORD) {
  await page.goto("/");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read known JSON shapes
type Json = any;

async function call(
  request: APIRequestContext,
  method: "GET" | "POST" | "PUT",
  url: string,
  data?: unknown,
): Promise<Json> {
  const res = await request.fetch(url, { method, ...(data === undefined ? {} : { data }) });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return res.json();
}

/** An SSH host the panel may use: added with the key, its fingerprint scanned and pinned. */
async function addTrustedHost(
  request: APIRequestContext,
  host: { name: string; address: string; port?: number },
  keys: ClientKeys,
): Promise<string> {
  const { id } = await call(request, "POST", "/api/hosts", {
    ...host,
    auth: { type: "key", privateKey: keys.ed25519 },
  });
  const scan = await call(request, "POST", `/api/hosts/${id}/scan`);
  await call(request, "POST", `/api/hosts/${id}/trust`, { fingerprint: scan.fingerprint });
  return id;
}

async function waitForApply(request: APIRequestContext, applyId: string): Promise<Json> {
  for (let i = 0; i < 600; i++) {
    const apply = await call(request, "GET", `/api/applies/${applyId}`);
    if (apply.status !== "running") return apply;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`apply ${applyId} did not finish`);
}

test.describe("[NEWCOMER][LIVE] against a stand-in director over SSH", () => {
  let keys: ClientKeys;
  let dir: string;
  let director: StandInDirector;

  test.beforeAll(async () => {
    keys = await makeClientKeys();
    dir = mkdtempSync(path.join(tmpdir(), "e2e-stand-in-"));
    director = await startStandInDirector({ keys, dir });
  });
  test.afterAll(async () => {
    await director?.sshd.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (keys) rmSync(keys.dir, { recursive: true, force: true });
  });

  /** A cluster whose director is the stand-in, with the recorded table's main service. */
  async function liveCluster(page: Page, name: string): Promise<string> {
    const hostId = await addTrustedHost(
      page.request,
      { name: `${name}-lb`, address: "127.0.0.1", port: director.sshd.port },
      keys,
    );
    const cluster = await call(page.request, "POST", "/api/clusters", { name });
    await call(page.request, "PUT", `/api/clusters/${cluster.id}/director`, {
      hostId,
      dip: "10.10.0.1",
      interface: "eth0",
    });
    const service = await call(page.request, "POST", `/api/clusters/${cluster.id}/services`, {
      protocol: "tcp",
      vip: "192.168.77.100",
      port: 80,
      scheduler: "rr",
      forwarding: "nat",
    });
    for (const address of ["10.10.0.11", "10.10.0.12", "10.10.0.13"]) {
      await call(page.request, "POST", `/api/services/${service.id}/realservers`, {
        address,
        port: 80,
      });
    }
    return cluster.id;
  }

  test("[NEWCOMER][LIVE] the client filter takes a prefix or one client's ip:port, says so, and explains what it refuses", async ({
    page,
  }) => {
    await logIn(page);
    const clusterId = await liveCluster(page, `nc-live-${run}`);
    await page.goto(`/clusters/${clusterId}/live`);
    const connections = page.getByRole("region", { name: "Connections" });
    const count = connections.getByRole("status");
    // The recorded table: 95 entries, 94 connections and one persistence template (not shown).
    await expect(count).toContainText("94 connections");

    const client = page.getByRole("textbox", { name: "Client" });
    await expect(client).toHaveAttribute("placeholder", "192.168.77. or 192.168.77.5:43512");
    await expect(client).toHaveAccessibleDescription(
      "Start of an address, or one client as ip:port ([v6]:port)",
    );

    // A prefix, as before: the director's awk counts every entry from that client.
    await client.fill("192.168.77.");
    await expect(count).toContainText("80 connections (80 shown)");
    // One client: address and port.
    await client.fill("192.168.77.2:36866");
    await expect(count).toContainText("1 connection (1 shown)");
    const rows = page.getByRole("row").filter({ hasText: "192.168.77.2:36866" });
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText("TIME_WAIT");
    await expect(rows).toContainText("10.10.0.11:80");

    // Not a filter: said next to the field, and the stream keeps the last filter it took.
    await client.fill("client-7");
    await expect(client).toHaveAttribute("aria-invalid", "true");
    await expect(client).toHaveAccessibleDescription(
      "Client must be the start of an address (192.168.77.) or one client as address:port (192.168.77.5:43512, [fd00::5]:43512)",
    );
    await expect(count).toContainText("1 connection (1 shown)");
    await client.fill("10.10.0.100:99999");
    await expect(client).toHaveAccessibleDescription(/port from 0 to 65535/);

    // The API says the same to a script.
    const refused = await page.request.get(`/api/clusters/${clusterId}/live?client=client-7`);
    expect(refused.status()).toBe(400);
    expect((await refused.json()).fields.client).toMatch(/^must be the start of an address/);

    await client.fill("10.10.0.100");
    await expect(client).not.toHaveAttribute("aria-invalid");
    await expect(count).toContainText("14 connections (14 shown)");
  });

  test("[NEWCOMER][LIVE] charts plot active and inactive connections per realserver; their ticks never repeat", async ({
    page,
  }) => {
    await logIn(page);
    const clusterId = await liveCluster(page, `nc-chart-${run}`);
    await page.goto(`/clusters/${clusterId}/live`);
    const card = page.getByRole("region", { name: "Service TCP 192.168.77.100:80", exact: true });
    const chart = card.getByRole("img", {
      name: "Active and inactive connections per realserver, TCP 192.168.77.100:80, last 15 minutes",
    });
    await expect(chart).toBeVisible();
    // Each realserver twice: ActiveConn (0 here) and InActConn (13, 13, 14 in the recording).
    for (const rs of ["10.10.0.11:80", "10.10.0.12:80", "10.10.0.13:80"]) {
      await expect(card.getByText(`${rs} active`, { exact: true })).toBeVisible();
      await expect(card.getByText(`${rs} inactive`, { exact: true })).toBeVisible();
    }
    // What the canvas shows, from the chart's description: 0 to 14 on a 0, 5, 10, 15 scale,
    // and time ticks once two readings are in.
    await expect(chart).toHaveAccessibleDescription(/^Scale: 0, 5, 10, 15\. Times: \d/, {
      timeout: 15_000,
    });
    for (const name of [
      "Active and inactive connections per realserver, TCP 192.168.77.100:80, last 15 minutes",
      "Connections per second and bytes per second, TCP 192.168.77.100:80, last 15 minutes",
    ]) {
      const description = await card.getByRole("img", { name }).evaluate((el) => {
        const id = el.getAttribute("aria-describedby") ?? "";
        return document.getElementById(id)?.textContent ?? "";
      });
      for (const [, list] of description.matchAll(/: ([^.]*(?:\.\d[^.]*)*)\./g)) {
        const ticks = (list ?? "").split(", ");
        expect(new Set(ticks).size, `${name}: ${description}`).toBe(ticks.length);
      }
    }
  });
});

/** A stream the test plays (the API's `tick` event), ending after each reading (retry 300 ms). */
function sse(events: { event: string; data: unknown }[]): string {
  return `retry: 300\n\n${events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join("")}`;
}

test("[NEWCOMER][LIVE] a drain of short requests empties visibly: InActConn falls to 0 on a 0, 1, 2, 3 scale", async ({
  page,
}) => {
  await logIn(page);
  const name = `nc-drain-${run}`;
  const cluster = await call(page.request, "POST", "/api/clusters", { name });
  const host = await call(page.request, "POST", "/api/hosts", {
    name: `${name}-lb`,
    address: "127.0.0.1",
    port: 1,
    auth: { type: "password", password: "not-used" },
  });
  await call(page.request, "PUT", `/api/clusters/${cluster.id}/director`, {
    hostId: host.id,
    dip: "10.10.0.1",
    interface: "eth0",
  });
  const service = await call(page.request, "POST", `/api/clusters/${cluster.id}/services`, {
    protocol: "tcp",
    vip: "192.168.77.100",
    port: 80,
    scheduler: "rr",
    forwarding: "nat",
  });
  await call(page.request, "POST", `/api/services/${service.id}/realservers`, {
    address: "10.10.0.11",
    port: 80,
  });

  // The director's readings while 10.10.0.11 drains: short HTTP requests are never "active" for
  // long; they linger in TIME_WAIT (InActConn), 2, then 1, then none.
  const reading = (at: number, inactive: number) => ({
    at: new Date(at).toISOString(),
    services: [
      {
        key: "TCP 192.168.77.100:80",
        activeConns: 0,
        inactiveConns: inactive,
        rates: { CPS: 0, InPPS: 0, OutPPS: 0, InBPS: 0, OutBPS: 0 },
        realservers: [
          { key: "10.10.0.11:80", activeConns: 0, inactiveConns: inactive, rates: { CPS: 0 } },
        ],
      },
    ],
  });
  const now = Date.now();
  const history = [2, 2, 2, 1, 1, 0, 0].map((n, i) => reading(now - (7 - i) * 3000, n));
  const point = reading(now, 0).services[0];
  const tick = {
    at: new Date(now).toISOString(),
    readMs: 3,
    processMs: 1,
    totals: { entries: 0, templates: 0, byState: {}, services: {} },
    matched: 0,
    truncated: false,
    rows: [],
    parseErrors: 0,
    services: [
      {
        ...point,
        stats: {},
        realservers: point?.realservers.map((rs) => ({ ...rs, weight: 0, stats: {} })),
      },
    ],
  };
  await page.route(`**/api/clusters/${cluster.id}/live/history`, (route) =>
    route.fulfill({ json: history }),
  );
  await page.route(`**/api/clusters/${cluster.id}/live?*`, (route) =>
    route.fulfill({
      status: 200,
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      body: sse([{ event: "tick", data: tick }]),
    }),
  );

  await page.goto(`/clusters/${cluster.id}/live`);
  const card = page.getByRole("region", { name: "Service TCP 192.168.77.100:80", exact: true });
  const chart = card.getByRole("img", { name: /^Active and inactive connections per realserver/ });
  await expect(chart).toHaveAccessibleDescription(/^Scale: 0, 1, 2, 3\. Times: /);
  // The legend, away from the cursor, gives the latest reading of each line: emptied.
  const legend = card.locator(".u-legend").first();
  const value = (label: string) => legend.locator("tr", { hasText: label }).locator(".u-value");
  await expect(value("10.10.0.11:80 inactive")).toHaveText("0");
  await expect(value("10.10.0.11:80 active")).toHaveText("0");
  // And the cursor over the first reading shows what there was: 2 waiting to close.
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  if (!box) throw new Error("the chart has no box");
  await page.mouse.move(box.x + box.width / 2, box.y + 40);
  await page.mouse.move(box.x + 58, box.y + 40, { steps: 5 });
  await expect(value("10.10.0.11:80 inactive")).toHaveText("2");
});

test("[NEWCOMER][DOCS] the API docs are linked from the nav and the tokens page, and Authorize takes a token", async ({
  page,
  browser,
}) => {
  await logIn(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  const navLink = nav.getByRole("link", { name: "API docs (opens in a new tab)" });
  await expect(navLink).toHaveAttribute("href", "/api/docs");
  await expect(navLink).toHaveAttribute("target", "_blank");
  const [docs] = await Promise.all([page.context().waitForEvent("page"), navLink.click()]);
  await docs.waitForLoadState();
  await expect(docs).toHaveURL(/\/api\/docs/);
  await expect(docs.getByRole("button", { name: "Authorize" })).toBeVisible();
  await docs.close();

  await nav.getByRole("link", { name: "API tokens" }).click();
  await expect(
    page.getByRole("main").getByRole("link", { name: "API docs (opens in a new tab)" }),
  ).toHaveAttribute("href", "/api/docs");

  // A script's view: no session, only a token, pasted into Authorize.
  const created = await call(page.request, "POST", "/api/tokens", {
    name: `docs-${run}`,
    scope: "read",
  });
  const context = await browser.newContext();
  const visitor = await context.newPage();
  await visitor.goto("/api/docs");
  await visitor.getByRole("button", { name: "Authorize" }).click();
  const dialog = visitor.locator(".modal-ux");
  await expect(dialog).toContainText("bearerAuth");
  await expect(dialog).toContainText("(http, Bearer)");
  const bearerForm = dialog.locator("form", { hasText: "bearerAuth" });
  await bearerForm.locator("#auth-bearer-value").fill(created.token);
  await bearerForm.getByRole("button", { name: "Apply credentials" }).click();
  await expect(bearerForm).toContainText("Authorized");
  await bearerForm.locator("button", { hasText: "Close" }).click();

  const operation = visitor.locator(".opblock-get", {
    has: visitor.locator('[data-path="/api/clusters"]'),
  });
  await operation.locator(".opblock-summary-control").click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.getByRole("button", { name: "Execute" }).click();
  await expect(operation.locator(".curl")).toContainText(`Authorization: Bearer ${created.token}`);
  await expect(
    operation.locator(".live-responses-table tbody .response-col_status").first(),
  ).toHaveText("200");
  await context.close();
});

test("[NEWCOMER][TOKENS] a token can be read-only and can expire: made in the browser, refused by the API in plain words", async ({
  page,
}) => {
  await logIn(page);
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "API tokens" })
    .click();
  await page.getByRole("button", { name: "Create token" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(`dashboard-${run}`);
  const access = dialog.getByLabel("Access");
  await expect(access).toHaveAccessibleDescription("It may do whatever you may (admin role).");
  await access.selectOption({ label: "Read only" });
  await expect(access).toHaveAccessibleDescription(
    "It may only read (GET); any change it attempts gets 403.",
  );
  const expires = dialog.getByLabel("Expires");
  await expect(expires).toHaveAccessibleDescription("It works until you revoke it.");
  await expires.selectOption({ label: "In 7 days" });
  await dialog.getByRole("button", { name: "Create token" }).click();
  await expect(dialog.getByText("Copy it now — it will not be shown again")).toBeVisible();
  await expect(dialog).toContainText("This token is read only, expires");
  const token = await dialog.getByRole("textbox", { name: "API token" }).inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();

  const bearer = { authorization: `Bearer ${token}` };
  expect((await page.request.get("/api/clusters", { headers: bearer })).status()).toBe(200);
  const write = await page.request.post("/api/clusters", {
    headers: bearer,
    data: { name: `by-read-token-${run}` },
  });
  expect(write.status()).toBe(403);
  expect((await write.json()).message).toBe(
    "this API token is read-only: it may only read (GET); use a token with full scope to make changes",
  );

  const row = page.getByRole("row", { name: new RegExp(`dashboard-${run}`) });
  await expect(row).toContainText("Read only");
  await expect(row).toContainText("in 7 days");

  // An expiring token works until its time, then gets 401 saying so; the list marks it.
  const soon = new Date(Date.now() + 2500).toISOString();
  const short = await call(page.request, "POST", "/api/tokens", {
    name: `short-${run}`,
    expiresAt: soon,
  });
  const shortBearer = { authorization: `Bearer ${short.token}` };
  expect((await page.request.get("/api/clusters", { headers: shortBearer })).status()).toBe(200);
  await page.waitForTimeout(Date.parse(soon) - Date.now() + 200);
  const expired = await page.request.get("/api/clusters", { headers: shortBearer });
  expect(expired.status()).toBe(401);
  expect((await expired.json()).message).toBe(
    `this API token expired on ${soon}; create a new one on the API tokens page`,
  );
  await page.reload();
  await expect(page.getByRole("row", { name: new RegExp(`short-${run}`) })).toContainText(
    "Expired",
  );
  // Without scope or expiry, a token is what it always was: full, never expiring.
  const plain = await call(page.request, "POST", "/api/tokens", { name: `plain-${run}` });
  expect(plain).toMatchObject({ scope: "full", expiresAt: null });
  await page.reload();
  const plainRow = page.getByRole("row", { name: new RegExp(`plain-${run}`) });
  await expect(plainRow).toContainText("Full");
  await expect(plainRow).toContainText("Never");
});

test.describe("[NEWCOMER] against a sandboxed director (its own network and /etc)", () => {
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  let keys: ClientKeys;
  let sandbox: SandboxHost;

  test.beforeAll(async () => {
    keys = await makeClientKeys();
    sandbox = await startSandboxHost({
      name: `nc-director-${run}`,
      authorizedKeys: keys.authorizedKeys,
      lan: "10.10.0.1/24",
    });
  });
  test.afterAll(async () => {
    await sandbox?.stop();
    if (keys) rmSync(keys.dir, { recursive: true, force: true });
  });

  test("[NEWCOMER][AUDIT] an apply shows its outcome and opens its page; the log filters by cluster, user and action", async ({
    page,
    playwright,
    baseURL,
  }) => {
    await logIn(page);
    const name = `nc-audit-${run}`;
    const hostId = await addTrustedHost(
      page.request,
      { name: sandbox.name, address: sandbox.address },
      keys,
    );
    const cluster = await call(page.request, "POST", "/api/clusters", { name });
    await call(page.request, "PUT", `/api/clusters/${cluster.id}/director`, {
      hostId,
      dip: "10.10.0.1",
      interface: "lan0",
    });
    // An operator adds the service; the admin applies.
    const operator = `ncop${run.slice(-5)}`;
    await call(page.request, "POST", "/api/users", {
      username: operator,
      password: "operator-password-1",
      role: "operator",
    });
    const asOperator = await playwright.request.newContext({ baseURL });
    await call(asOperator, "POST", "/api/auth/login", {
      username: operator,
      password: "operator-password-1",
    });
    const service = await call(asOperator, "POST", `/api/clusters/${cluster.id}/services`, {
      protocol: "tcp",
      vip: "10.10.0.200",
      port: 80,
      scheduler: "rr",
      forwarding: "nat",
    });
    await call(asOperator, "POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.11",
      port: 80,
    });
    await asOperator.dispose();

    const ok = await call(page.request, "POST", `/api/clusters/${cluster.id}/apply`);
    expect((await waitForApply(page.request, ok.applyId)).status).toBe("succeeded");
    // The next one fails on the director and is rolled back.
    await call(page.request, "POST", `/api/services/${service.id}/realservers`, {
      address: "10.10.0.12",
      port: 80,
    });
    sandbox.failIpvsadmOn("10.10.0.12");
    try {
      const bad = await call(page.request, "POST", `/api/clusters/${cluster.id}/apply`);
      expect((await waitForApply(page.request, bad.applyId)).status).toBe("rolled_back");
    } finally {
      sandbox.failIpvsadmOn(null);
    }

    // A fresh load, so the cluster list the filter offers has this new cluster.
    await page.goto("/audit");
    const filters = page.getByRole("search", { name: "Filter the audit log" });
    await filters.getByLabel("Cluster").selectOption({ label: name });
    await filters.getByLabel("Action").selectOption({ label: "Started apply" });
    await expect(page).toHaveURL(new RegExp(`clusterId=${cluster.id}.*action=apply.start`));
    const rows = page.getByRole("row").filter({ hasText: "Started apply" });
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: "Succeeded" })).toHaveCount(1);
    await expect(rows.filter({ hasText: "Rolled back" })).toHaveCount(1);
    await expect(rows.filter({ hasText: /\bnew\b/ })).toHaveCount(0);

    // The outcome opens the apply's own page.
    await rows.filter({ hasText: "Rolled back" }).getByRole("link", { name: "Open apply" }).click();
    await expect(page).toHaveURL(new RegExp(`/clusters/${cluster.id}/applies/`));
    // Named after what it did; when it ran under the name.
    await expect(page.getByText(/^Apply of /)).toBeVisible();
    await expect(page.getByText("Rolled back").first()).toBeVisible();
    await page.goBack();

    // All of this cluster's actions, then only the operator's.
    await filters.getByLabel("Action").selectOption({ label: "All actions" });
    const all = page
      .getByRole("row")
      .filter({ has: page.getByRole("button", { name: /^Details/ }) });
    await expect(all.filter({ hasText: "Finished apply" })).toHaveCount(2);
    await expect(all.filter({ hasText: "Created service" })).toHaveCount(1);
    await expect(all.filter({ hasText: "Created realserver" })).toHaveCount(2);
    await filters.getByLabel("User").fill(operator);
    await expect(page).toHaveURL(new RegExp(`user=${operator}`));
    await expect(all).toHaveCount(2);
    for (const text of await all.allInnerTexts()) expect(text).toContain(operator);
    await filters.getByLabel("Action").selectOption({ label: "Applies" });
    await expect(page.getByText("Nothing recorded matches.")).toBeVisible();
    await filters.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/audit$/);

    // A script reads the same filters and outcomes.
    const entries = await call(
      page.request,
      "GET",
      `/api/audit?clusterId=${cluster.id}&action=apply.start`,
    );
    expect(entries.map((e: Json) => e.apply.status).sort()).toEqual(["rolled_back", "succeeded"]);
  });

  test("[NEWCOMER][OVERVIEW] a host not probed yet reads checking…, not a red 0/1 reachable", async ({
    page,
  }) => {
    await logIn(page);
    const name = `nc-fresh-${run}`;
    const hostId = await addTrustedHost(
      page.request,
      { name: `${name}-lb`, address: sandbox.address },
      keys,
    );
    const cluster = await call(page.request, "POST", "/api/clusters", { name });
    await call(page.request, "PUT", `/api/clusters/${cluster.id}/director`, {
      hostId,
      dip: "10.10.0.1",
      interface: "lan0",
    });
    // The director's link goes down: its first probe waits for the SSH connect timeout (10 s).
    await sandbox.setLink(false);
    try {
      await page.goto("/clusters");
      const row = page.getByRole("listitem", { name: `Cluster ${name}` });
      const checking = row.getByText("checking…", { exact: true });
      await expect(checking).toBeVisible();
      await expect(row.getByText(/reachable/)).toHaveCount(0);
      await expect(checking).toHaveClass(/bg-slate-100/);
      await expect(checking).not.toHaveClass(/red/);
      // Once the probe gives up, the answer is known: unreachable, in red, with the reason.
      await expect(row.getByText("0/1 reachable")).toBeVisible({ timeout: 30_000 });
      await expect(row.getByText("0/1 reachable")).toHaveClass(/bg-red-50/);
      await expect(row.getByRole("list", { name: "Unreachable hosts" })).toContainText(
        `${name}-lb (director)`,
      );
    } finally {
      await sandbox.setLink(true);
    }
  });
});
