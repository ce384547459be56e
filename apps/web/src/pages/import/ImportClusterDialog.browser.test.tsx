// Importing a director as a new cluster, in real Chromium: the director's fields, "Read the
// director" → the preview (services with checkboxes, refusals, adjustments), the import request's
// body, the new cluster's page; keepalived.conf taken over whole or blocked; 400s on their fields.

import { useLocation } from "react-router";
import { expect, test, vi } from "vitest";
import { page } from "vitest/browser";
import { apiError, fakeApi } from "../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../test/render.tsx";
import type { Cluster, ImportPreview } from "../../api/types.ts";
import { ClustersPage } from "../clusters/ClustersPage.tsx";

const AT = "2026-01-01T12:00:00.000Z";

const preview: ImportPreview = {
  engine: "ipvsadm",
  services: [
    {
      service: "TCP 10.10.0.210:80",
      scheduler: "wrr",
      forwarding: "dr",
      realservers: 3,
      healthCheck: null,
    },
    { service: "FWM 7", scheduler: "rr", forwarding: "nat", realservers: 1, healthCheck: null },
  ],
  refused: [{ service: "TCP 10.10.0.200:80", reason: 'it belongs to cluster "fresh"' }],
  adjusted: [{ service: "TCP 10.10.0.210:80", note: "persistence netmask written out" }],
  keepalivedConf: null,
};

const created: Cluster = {
  id: "c-new",
  name: "legacy",
  description: "",
  engine: "ipvsadm",
  createdAt: AT,
  updatedAt: AT,
  director: {
    hostId: "h-lb",
    dip: "10.10.0.1",
    interface: "lan0",
    vipInterface: null,
    priority: 100,
    host: { id: "h-lb", name: "lb", address: "192.0.2.1" },
  },
  directors: [],
  ha: null,
  services: [],
};

function Where() {
  return <p data-testid="location">{useLocation().pathname}</p>;
}

function importApi(overrides: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    "GET /api/auth/status": signedInAs("operator"),
    "GET /api/clusters": { body: [] },
    "GET /api/overview": { body: [] },
    "GET /api/hosts": {
      body: [
        {
          id: "h-lb",
          name: "lb",
          address: "192.0.2.1",
          port: 22,
          username: "root",
          authType: "key",
          hasSecret: true,
          hasPassphrase: false,
          hostKeySha256: "SHA256:x",
          jumpHostId: null,
          createdAt: AT,
          updatedAt: AT,
        },
      ],
    },
    "GET /api/hosts/h-lb/interfaces": {
      body: [
        { name: "lo", addresses: [{ address: "127.0.0.1", prefix: 8, family: 4 }] },
        {
          name: "eth0",
          addresses: [
            { address: "192.0.2.1", prefix: 24, family: 4 },
            { address: "fe80::1", prefix: 64, family: 6 },
          ],
        },
        { name: "lan0", addresses: [{ address: "10.10.0.1", prefix: 24, family: 4 }] },
      ],
    },
    "POST /api/clusters/import/preview": { body: preview },
    "POST /api/clusters/import": {
      status: 201,
      body: { cluster: created, refused: preview.refused, adjusted: preview.adjusted },
    },
    ...overrides,
  });
}

async function openAndRead() {
  await renderInApp(
    <>
      <ClustersPage />
      <Where />
    </>,
  );
  await page.getByRole("button", { name: "Import from a director" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Import from a director" });
  await dialog.getByRole("combobox", { name: "Director host" }).selectOptions("h-lb");
  await dialog.getByRole("textbox", { name: "DIP" }).fill("10.10.0.1");
  await dialog.getByRole("textbox", { name: "Interface", exact: true }).fill("lan0");
  await dialog.getByRole("textbox", { name: "Cluster name" }).fill("legacy");
  await dialog.getByRole("button", { name: "Read the director" }).click();
  return dialog;
}

test("reads the director, imports the ticked services and opens the new cluster", async () => {
  const api = importApi();
  const dialog = await openAndRead();

  const table = dialog.getByRole("table", { name: "Services on the director" });
  await expect.element(table).toBeVisible();
  expect(api.sent("POST", "/api/clusters/import/preview")[0]?.body).toEqual({ hostId: "h-lb" });
  await expect
    .element(table.getByRole("row", { name: /TCP 10\.10\.0\.210:80/ }))
    .toHaveTextContent(/wrrDR3—/);
  const fwm = dialog.getByRole("checkbox", { name: "Import FWM 7" });
  await expect.element(fwm).toBeChecked();
  await expect
    .element(dialog.getByRole("list", { name: "Services not imported" }))
    .toHaveTextContent('TCP 10.10.0.200:80: it belongs to cluster "fresh"');
  await expect
    .element(dialog.getByRole("list", { name: "Adjustments" }))
    .toHaveTextContent("TCP 10.10.0.210:80: persistence netmask written out");
  await expect.element(dialog.getByRole("button", { name: "Import 2 services" })).toBeEnabled();

  await fwm.click();
  await dialog.getByRole("button", { name: "Import 1 service" }).click();
  await expect.element(page.getByTestId("location")).toHaveTextContent("/clusters/c-new");
  expect(api.sent("POST", "/api/clusters/import")[0]?.body).toEqual({
    name: "legacy",
    director: { hostId: "h-lb", dip: "10.10.0.1", interface: "lan0" },
    services: ["TCP 10.10.0.210:80"],
  });
  expect(page.getByRole("dialog").query()).toBeNull();
});

test("with every service ticked the request names none (all of them)", async () => {
  const api = importApi();
  const dialog = await openAndRead();
  await dialog.getByRole("button", { name: "Import 2 services" }).click();
  await vi.waitUntil(() => api.sent("POST", "/api/clusters/import").length === 1);
  expect(api.sent("POST", "/api/clusters/import")[0]?.body).toEqual({
    name: "legacy",
    director: { hostId: "h-lb", dip: "10.10.0.1", interface: "lan0" },
  });
});

test("keepalived.conf taken over whole: every service comes along; blockers stop the import", async () => {
  importApi({
    "POST /api/clusters/import/preview": {
      body: {
        ...preview,
        engine: "keepalived",
        keepalivedConf: { takenOver: true, blockers: ["a vrrp_script block"] },
      },
    },
  });
  const dialog = await openAndRead();

  await expect
    .element(
      dialog.getByText(
        "keepalived.conf is taken over whole: every service it configures comes along",
      ),
    )
    .toBeVisible();
  await expect.element(dialog.getByRole("checkbox", { name: "Import FWM 7" })).toBeDisabled();
  await expect.element(dialog.getByRole("checkbox", { name: "Import FWM 7" })).toBeChecked();
  await expect.element(dialog.getByRole("alert")).toHaveTextContent(/a vrrp_script block/);
  await expect.element(dialog.getByRole("button", { name: "Import 2 services" })).toBeDisabled();
});

test("a 400 from the import lands on its field", async () => {
  importApi({
    "POST /api/clusters/import": apiError(400, "VALIDATION", "director.interface: is invalid", {
      "director.interface": "must be an interface name",
    }),
  });
  const dialog = await openAndRead();
  await dialog.getByRole("button", { name: "Import 2 services" }).click();
  const iface = dialog.getByRole("textbox", { name: "Interface", exact: true });
  await expect.element(iface).toHaveAttribute("aria-invalid", "true");
  await expect.element(iface).toHaveAccessibleDescription("must be an interface name");
});

test("the director host's interfaces are offered: picking an address fills Interface and DIP", async () => {
  importApi();
  await renderInApp(<ClustersPage />);
  await page.getByRole("button", { name: "Import from a director" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Import from a director" });
  const iface = dialog.getByRole("textbox", { name: "Interface", exact: true });
  await expect.element(iface).toHaveValue("");
  await dialog.getByRole("combobox", { name: "Director host" }).selectOptions("h-lb");
  const offered = dialog.getByRole("group", { name: /Interfaces on this host/ });
  // Not lo, not a link-local address: neither can be a DIP.
  await expect.element(offered).toHaveTextContent("eth0 192.0.2.1/24lan0 10.10.0.1/24");
  await offered.getByRole("button", { name: "lan0 10.10.0.1/24" }).click();
  await expect.element(iface).toHaveValue("lan0");
  await expect.element(dialog.getByRole("textbox", { name: "DIP" })).toHaveValue("10.10.0.1");
  await expect
    .element(offered.getByRole("button", { name: "lan0 10.10.0.1/24" }))
    .toHaveAttribute("aria-pressed", "true");
  await iface.fill("eth9");
  await expect
    .element(iface)
    .toHaveAccessibleDescription(/not an interface of this host \(it has eth0, lan0\)/);
});

test("a host whose interfaces cannot be read leaves the interface to be typed", async () => {
  importApi({
    "GET /api/hosts/h-lb/interfaces": apiError(
      504,
      "SSH_CONNECT_TIMEOUT",
      "192.0.2.1:22: no SSH session within 10000 ms",
    ),
  });
  await renderInApp(<ClustersPage />);
  await page.getByRole("button", { name: "Import from a director" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Import from a director" });
  await dialog.getByRole("combobox", { name: "Director host" }).selectOptions("h-lb");
  await expect
    .element(
      dialog.getByText(/Could not read the host's interfaces \(192\.0\.2\.1:22: no SSH session/),
    )
    .toBeVisible();
  const iface = dialog.getByRole("textbox", { name: "Interface", exact: true });
  await iface.fill("eth1");
  await expect.element(iface).toHaveValue("eth1");
});
