// The realserver row in real Chromium: weight edited in place (Enter saves, Escape cancels, bad
// values refused by the form or by the API), delete behind a confirmation, a viewer's read-only
// row, and one save at a time per row (the weight, the switch and drain share one mutation). The row is rendered inside its ServiceCard from a cluster fetched over the
// (in-page) API, so a save shows the weight the API sends back.
import { describe, expect, test } from "vitest";
import { page, userEvent } from "vitest/browser";
import { nothingPending } from "../../../test/clusterFixture.ts";
import { apiError, fakeApi } from "../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../test/render.tsx";
import { useAuthStatusQuery } from "../../api/auth.ts";
import { useClusterQuery } from "../../api/clusters.ts";
import type { Cluster, RealServer, Role } from "../../api/types.ts";
import { ServiceCard } from "./ServiceCard.tsx";

const RS = "10.0.0.11:80";

function realserver(id: string, address: string, weight: number): RealServer {
  return {
    id,
    serviceId: "svc-1",
    address,
    port: 80,
    weight,
    enabled: true,
    draining: false,
    upperThreshold: 0,
    lowerThreshold: 0,
    checkPort: null,
    hostId: null,
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
  };
}

/** One cluster with one NAT service and two realservers; PATCHes change what GET returns. */
function clusterApi(role: Role, overrides: Parameters<typeof fakeApi>[0] = {}) {
  const realservers = [realserver("rs-1", "10.0.0.11", 5), realserver("rs-2", "10.0.0.12", 1)];
  const cluster = (): Cluster => ({
    id: "c1",
    name: "edge",
    description: "",
    engine: "ipvsadm",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    director: null,
    directors: [],
    ha: null,
    services: [
      {
        id: "svc-1",
        clusterId: "c1",
        protocol: "tcp",
        vip: "192.0.2.10",
        port: 80,
        fwmark: null,
        scheduler: "wlc",
        schedulerFlags: [],
        persistence: null,
        persistenceNetmask: null,
        forwarding: "nat",
        healthCheck: { type: "tcp", intervalSeconds: 5, timeoutSeconds: 3, retries: 2 },
        onFailure: "quiesce",
        sorryServer: null,
        createdAt: "2025-01-01T00:00:00.000Z",
        updatedAt: "2025-01-01T00:00:00.000Z",
        realservers: realservers.map((rs) => ({ ...rs })),
      },
    ],
  });
  return fakeApi({
    "GET /api/auth/status": signedInAs(role),
    "GET /api/clusters/c1": () => ({ body: cluster() }),
    ...nothingPending(),
    "PATCH /api/realservers/rs-1": (request) => {
      const rs = realservers[0] as RealServer;
      Object.assign(rs, request.body);
      return { body: rs };
    },
    ...overrides,
  });
}

/** Like the cluster page: nothing until the session and the cluster are known. */
function ClusterServices() {
  const auth = useAuthStatusQuery();
  const cluster = useClusterQuery("c1");
  if (!auth.data || !cluster.data) return <p>Loading…</p>;
  return cluster.data.services.map((service) => <ServiceCard key={service.id} service={service} />);
}

async function renderCluster() {
  await renderInApp(<ClusterServices />);
  await expect.element(page.getByText(RS, { exact: true })).toBeVisible();
}

const weightButton = (weight: number) =>
  page.getByRole("button", { name: `Weight of ${RS}: ${weight}. Edit` });
const weightInput = () => page.getByRole("textbox", { name: `Weight of ${RS}` });

describe("RealServerRow weight edit", () => {
  test("Enter saves: one PATCH with only the weight, then the row shows the saved weight", async () => {
    const api = clusterApi("operator");
    await renderCluster();

    await weightButton(5).click();
    await expect.element(weightInput()).toHaveFocus();
    await expect.element(weightInput()).toHaveValue("5");
    await weightInput().fill("12");
    await userEvent.keyboard("{Enter}");

    await expect.element(weightButton(12)).toBeVisible();
    expect(weightInput().query()).toBeNull();
    // The field's blur as it goes away must not save a second time.
    expect(api.sent("PATCH", "/api/realservers/rs-1").map((r) => r.body)).toEqual([{ weight: 12 }]);
  });

  test("Escape cancels: nothing is sent and the old weight is back", async () => {
    const api = clusterApi("operator");
    await renderCluster();

    await weightButton(5).click();
    await weightInput().fill("99");
    await userEvent.keyboard("{Escape}");

    await expect.element(weightButton(5)).toBeVisible();
    expect(weightInput().query()).toBeNull();
    await weightButton(5).click();
    await expect.element(weightInput()).toHaveValue("5");
    await userEvent.keyboard("{Escape}");
    expect(api.sent("PATCH", "/api/realservers/rs-1")).toEqual([]);
  });

  test("an out-of-range weight (70000) is refused next to the field before any request", async () => {
    const api = clusterApi("operator");
    await renderCluster();

    await weightButton(5).click();
    await weightInput().fill("70000");
    await userEvent.keyboard("{Enter}");

    await expect
      .element(page.getByRole("alert"))
      .toHaveTextContent("Weight must be from 0 to 65535");
    await expect.element(weightInput()).toHaveAttribute("aria-invalid", "true");
    await expect.element(weightInput()).toHaveAccessibleDescription(/must be from 0 to 65535/);
    expect(api.sent("PATCH", "/api/realservers/rs-1")).toEqual([]);
  });

  test("the API's 400 field message for the weight is shown next to the field", async () => {
    // The form and the API share weightSchema, so this body stands for a rule only the server
    // knows; its shape is the one apps/api/src/plugins/errors.ts sends for a schema failure.
    const reason = "must be at most 256 on this director";
    const api = clusterApi("operator", {
      "PATCH /api/realservers/rs-1": apiError(400, "VALIDATION", `weight: ${reason}`, {
        weight: reason,
      }),
    });
    await renderCluster();

    await weightButton(5).click();
    await weightInput().fill("300");
    await userEvent.keyboard("{Enter}");

    await expect.element(page.getByRole("alert")).toHaveTextContent(`Weight ${reason}`);
    await expect.element(weightInput()).toHaveAttribute("aria-invalid", "true");
    await expect.element(weightInput()).toHaveValue("300");
    expect(api.sent("PATCH", "/api/realservers/rs-1").map((r) => r.body)).toEqual([
      { weight: 300 },
    ]);
  });

  test("a viewer sees the weight but no edit controls", async () => {
    clusterApi("viewer");
    await renderCluster();

    const table = page.getByRole("table", { name: "Realservers of TCP 192.0.2.10:80" });
    await expect.element(table.getByRole("cell", { name: "5", exact: true })).toBeVisible();
    expect(table.getByRole("button").elements()).toEqual([]);
    expect(table.getByRole("switch").elements()).toEqual([]);
    expect(table.getByRole("textbox").elements()).toEqual([]);
    expect(page.getByRole("button", { name: "Add realserver" }).query()).toBeNull();
  });
});

describe("deleting a realserver", () => {
  test("asks first: Cancel sends nothing, and the API's refusal stays in the dialog", async () => {
    const api = clusterApi("operator", {
      "DELETE /api/realservers/rs-1": apiError(409, "IN_USE", "still in use by another record"),
    });
    await renderCluster();
    const dialog = page.getByRole("dialog", { name: `Delete realserver ${RS}?` });

    await page.getByRole("button", { name: `Delete realserver ${RS}` }).click();
    await expect.element(dialog).toBeVisible();
    await expect.element(dialog.getByRole("button", { name: "Cancel" })).toHaveFocus();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    expect(api.sent("DELETE", "/api/realservers/rs-1")).toEqual([]);

    await page.getByRole("button", { name: `Delete realserver ${RS}` }).click();
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await expect.element(dialog).toHaveTextContent("still in use by another record");
    await expect.element(dialog).toBeVisible();
    expect(api.sent("DELETE", "/api/realservers/rs-1")).toHaveLength(1);
  });
});

/** Holds back the replies to `method path` until `released` settles, to look at a pending row. */
function holdReplies(method: string, path: string, released: Promise<void>) {
  const reply = window.fetch;
  window.fetch = async (input, init) => {
    const response = await reply(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    if ((init?.method ?? "GET").toUpperCase() === method && url.pathname === path) await released;
    return response;
  };
}

function gate() {
  let open = () => {};
  const released = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { released, open };
}

describe("one save at a time per row", () => {
  const OTHER = "10.0.0.12:80";
  const row = () => page.getByRole("row", { name: new RegExp(RS.replaceAll(".", "\\.")) });

  test("while the weight saves, the row's other controls wait; other rows do not", async () => {
    const api = clusterApi("operator");
    const save = gate();
    holdReplies("PATCH", "/api/realservers/rs-1", save.released);
    await renderCluster();

    await weightButton(5).click();
    await weightInput().fill("12");
    await userEvent.keyboard("{Enter}");

    await expect.element(row()).toHaveAttribute("aria-busy", "true");
    await expect.element(weightInput()).toHaveAttribute("readonly");
    await expect.element(page.getByRole("switch", { name: `Enabled ${RS}: On` })).toBeDisabled();
    await expect
      .element(page.getByRole("button", { name: `Drain realserver ${RS}` }))
      .toBeDisabled();
    await expect
      .element(page.getByRole("button", { name: `Edit realserver ${RS}` }))
      .toBeDisabled();
    await expect.element(page.getByRole("switch", { name: `Enabled ${OTHER}: On` })).toBeEnabled();
    await expect
      .element(page.getByRole("button", { name: `Drain realserver ${OTHER}` }))
      .toBeEnabled();

    save.open();
    await expect.element(weightButton(12)).toBeEnabled();
    await expect.element(page.getByRole("switch", { name: `Enabled ${RS}: On` })).toBeEnabled();
    await expect
      .element(page.getByRole("button", { name: `Drain realserver ${RS}` }))
      .toBeEnabled();
    expect(row().element().getAttribute("aria-busy")).toBeNull();
    expect(api.sent("PATCH", "/api/realservers/rs-1").map((r) => r.body)).toEqual([{ weight: 12 }]);
  });

  test("while the switch saves, the weight cannot be edited", async () => {
    const api = clusterApi("operator");
    const save = gate();
    holdReplies("PATCH", "/api/realservers/rs-1", save.released);
    await renderCluster();

    await page.getByRole("switch", { name: `Enabled ${RS}: On` }).click();

    // The switch shows where it is going, and the weight waits for it.
    await expect.element(page.getByRole("switch", { name: `Enabled ${RS}: Off` })).toBeDisabled();
    await expect.element(weightButton(5)).toBeDisabled();

    save.open();
    await expect.element(page.getByRole("switch", { name: `Enabled ${RS}: Off` })).toBeEnabled();
    await expect.element(weightButton(5)).toBeEnabled();
    expect(api.sent("PATCH", "/api/realservers/rs-1").map((r) => r.body)).toEqual([
      { enabled: false },
    ]);
  });

  test("a refused switch is explained under the row's controls, a refused weight only by its field", async () => {
    clusterApi("operator", {
      "PATCH /api/realservers/rs-1": apiError(409, "CONFLICT", "changed by someone else"),
    });
    await renderCluster();

    await page.getByRole("switch", { name: `Enabled ${RS}: On` }).click();
    await expect.element(page.getByRole("alert")).toHaveTextContent("changed by someone else");
    await expect
      .element(page.getByRole("switch", { name: `Enabled ${RS}: On` }))
      .toHaveAccessibleDescription("changed by someone else");

    await weightButton(5).click();
    await weightInput().fill("9");
    await userEvent.keyboard("{Enter}");
    // One alert: the weight's, next to its field (the row's own message is for its controls).
    await expect.element(page.getByRole("alert")).toHaveTextContent("changed by someone else");
    await expect.element(weightInput()).toHaveAccessibleDescription("changed by someone else");
    expect(page.getByRole("alert").elements()).toHaveLength(1);
  });
});
