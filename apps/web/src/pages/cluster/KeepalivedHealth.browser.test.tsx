// The keepalived engine on the cluster page, in real Chromium: the health column fed by
// GET /api/clusters/:id/health (Up/Down/Unknown, since when, why), keepalived's state on the
// director, the engine switch, and the health check fields of the service and realserver dialogs
// (offered on keepalived only, so an ipvsadm dialog keeps its labels unambiguous).
import { describe, expect, test } from "vitest";
import { page } from "vitest/browser";
import { nothingPending } from "../../../test/clusterFixture.ts";
import { apiError, fakeApi } from "../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../test/render.tsx";
import { useAuthStatusQuery } from "../../api/auth.ts";
import { useClusterQuery } from "../../api/clusters.ts";
import { useClusterHealth } from "../../api/health.ts";
import type { Cluster, ClusterHealth, Engine, RealServer, Role } from "../../api/types.ts";
import { DirectorSection } from "./DirectorSection.tsx";
import { ServiceCard } from "./ServiceCard.tsx";

const AT = "2026-01-01T12:00:00.000Z";
const TABLE = "Realservers of TCP 192.0.2.10:80";

function realserver(id: string, address: string): RealServer {
  return {
    id,
    serviceId: "svc-1",
    address,
    port: 80,
    weight: 1,
    enabled: true,
    draining: false,
    upperThreshold: 0,
    lowerThreshold: 0,
    checkPort: null,
    hostId: null,
    createdAt: AT,
    updatedAt: AT,
  };
}

function cluster(engine: Engine): Cluster {
  return {
    id: "c1",
    name: "edge",
    description: "",
    engine,
    createdAt: AT,
    updatedAt: AT,
    director: {
      hostId: "h-lb",
      dip: "10.0.0.1",
      interface: "eth0",
      vipInterface: null,
      priority: 100,
      host: { id: "h-lb", name: "lb", address: "10.0.0.1" },
    },
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
        createdAt: AT,
        updatedAt: AT,
        realservers: [realserver("rs-1", "10.0.0.11"), realserver("rs-2", "10.0.0.12")],
      },
    ],
  };
}

const health: ClusterHealth = {
  engine: "keepalived",
  at: AT,
  directors: [{ hostId: "h-lb", state: "running", since: "2026-01-01T11:00:00.000Z", pid: 812 }],
  realservers: [
    {
      id: "rs-1",
      serviceId: "svc-1",
      address: "10.0.0.11",
      port: 80,
      state: "down",
      since: "2026-01-01T11:59:48.000Z",
      lastError: "TCP connect to 10.0.0.11:80 refused",
      liveWeight: 0,
    },
    {
      id: "rs-2",
      serviceId: "svc-1",
      address: "10.0.0.12",
      port: 80,
      state: "up",
      since: null,
      liveWeight: 1,
    },
  ],
};

function clusterApi(role: Role, engine: Engine, overrides: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    "GET /api/auth/status": signedInAs(role),
    "GET /api/clusters/c1": { body: cluster(engine) },
    ...nothingPending(),
    "GET /api/clusters/c1/health": { body: health },
    "GET /api/hosts": { body: [] },
    ...overrides,
  });
}

/** The cluster page's wiring, without the live stream: the director card and the services. */
function ClusterHarness() {
  const auth = useAuthStatusQuery();
  const query = useClusterQuery("c1");
  const keepalived = query.data?.engine === "keepalived";
  const state = useClusterHealth("c1", { enabled: keepalived });
  if (!auth.data || !query.data) return <p>Loading…</p>;
  const data = query.data;
  return (
    <>
      <DirectorSection cluster={data} health={keepalived ? state : null} />
      {data.services.map((service) => (
        <ServiceCard
          key={service.id}
          service={service}
          engine={data.engine}
          health={keepalived ? state : null}
        />
      ))}
    </>
  );
}

const row = (address: string) =>
  page
    .getByRole("table", { name: TABLE })
    .getByRole("row", { name: new RegExp(address.replaceAll(".", "\\.")) });

describe("the health column", () => {
  test("shows each realserver Up or Down with since when and why, from the health GET", async () => {
    const api = clusterApi("viewer", "keepalived");
    await renderInApp(<ClusterHarness />);

    const table = page.getByRole("table", { name: TABLE });
    await expect.element(table.getByRole("columnheader", { name: "Health" })).toBeVisible();
    await expect.element(row("10.0.0.11")).toHaveTextContent(/Down/);
    await expect.element(row("10.0.0.11")).toHaveTextContent(/for 12 s/);
    await expect
      .element(row("10.0.0.11"))
      .toHaveTextContent(/TCP connect to 10\.0\.0\.11:80 refused/);
    await expect.element(row("10.0.0.12")).toHaveTextContent(/Up/);
    await expect.element(table.getByTitle(/^Since /)).toBeVisible();
    // Not a live region: the rows change every tick.
    expect(
      table
        .element()
        .querySelectorAll('[aria-live="polite"], [aria-live="assertive"], [role="log"]'),
    ).toHaveLength(0);
    expect(api.sent("GET", "/api/clusters/c1/health").length).toBeGreaterThan(0);

    // keepalived's own state on the director.
    const director = page.getByRole("region", { name: "Director" });
    await expect.element(director).toHaveTextContent(/keepalived \(health-checked\)/);
    await expect.element(director).toHaveTextContent(/Running \(pid 812\)/);
  });

  test("a failing health GET reads Unknown, with the reason", async () => {
    clusterApi("viewer", "keepalived", {
      "GET /api/clusters/c1/health": apiError(409, "NO_DIRECTOR", "the cluster has no director"),
    });
    await renderInApp(<ClusterHarness />);

    await expect.element(row("10.0.0.11")).toHaveTextContent(/Unknown/);
    await expect
      .element(row("10.0.0.11"))
      .toHaveTextContent(/Health could not be read: the cluster has no director/);
  });

  test("on the ipvsadm engine there is no health column and nothing is asked", async () => {
    const api = clusterApi("viewer", "ipvsadm");
    await renderInApp(<ClusterHarness />);

    const table = page.getByRole("table", { name: TABLE });
    await expect.element(table).toBeVisible();
    expect(table.getByRole("columnheader", { name: "Health" }).query()).toBeNull();
    expect(api.sent("GET", "/api/clusters/c1/health")).toEqual([]);
    await expect
      .element(page.getByRole("region", { name: "Director" }))
      .toHaveTextContent(/ipvsadm \(the panel pushes the table\)/);
  });
});

describe("the engine", () => {
  test("Change engine PATCHes the cluster's engine, and says it waits for the next apply", async () => {
    const api = clusterApi("operator", "ipvsadm", {
      "PATCH /api/clusters/c1": { body: cluster("keepalived") },
    });
    await renderInApp(<ClusterHarness />);

    await page.getByRole("button", { name: "Change engine" }).click();
    const dialog = page.getByRole("dialog", { name: "Change engine" });
    const select = dialog.getByLabelText("Engine");
    await expect.element(select).toHaveAccessibleDescription(/Takes effect at the next apply/);
    await select.selectOptions("keepalived");
    await dialog.getByRole("button", { name: "Save" }).click();

    await expect.element(dialog).not.toBeInTheDocument();
    expect(api.sent("PATCH", "/api/clusters/c1").map((r) => r.body)).toEqual([
      { engine: "keepalived" },
    ]);
  });
});

describe("the service dialog", () => {
  test("on keepalived it sends the whole check, and says how soon a dead realserver is out", async () => {
    const api = clusterApi("operator", "keepalived", {
      "PATCH /api/services/svc-1": { body: cluster("keepalived").services[0] },
    });
    await renderInApp(<ClusterHarness />);

    await page.getByRole("button", { name: "Edit service TCP 192.0.2.10:80" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit service" });
    await expect
      .element(dialog.getByText("A dead realserver stops getting new connections within 24 s."))
      .toBeVisible();
    await dialog.getByLabelText("Health check").selectOptions("http");
    await dialog.getByLabelText("Path", { exact: true }).fill("/healthz");
    await dialog.getByLabelText("Expected status").fill("200");
    await dialog.getByLabelText("Interval (seconds)").fill("2");
    await dialog.getByLabelText("Retries").fill("1");
    await expect
      .element(dialog.getByText("A dead realserver stops getting new connections within 10 s."))
      .toBeVisible();

    // A timeout longer than the interval is refused next to its field, before any request.
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect
      .element(dialog.getByLabelText("Timeout (seconds)"))
      .toHaveAccessibleDescription(/must not exceed the interval \(2 s\)/);
    expect(api.sent("PATCH", "/api/services/svc-1")).toEqual([]);

    await dialog.getByLabelText("Timeout (seconds)").fill("1");
    await dialog.getByLabelText("On failure").selectOptions("remove");
    await dialog.getByLabelText("Sorry server address").fill("10.0.0.250");
    await dialog.getByLabelText("Sorry server port").fill("8080");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    expect(api.sent("PATCH", "/api/services/svc-1").map((r) => r.body)).toEqual([
      {
        protocol: "tcp",
        vip: "192.0.2.10",
        port: 80,
        fwmark: null,
        scheduler: "wlc",
        schedulerFlags: [],
        persistence: null,
        persistenceNetmask: null,
        forwarding: "nat",
        healthCheck: {
          type: "http",
          path: "/healthz",
          expectStatus: 200,
          intervalSeconds: 2,
          timeoutSeconds: 1,
          retries: 1,
        },
        onFailure: "remove",
        sorryServer: { address: "10.0.0.250", port: 8080 },
      },
    ]);
  });

  test("on ipvsadm it offers no check and sends none; Port is still one field", async () => {
    const api = clusterApi("operator", "ipvsadm", {
      "PATCH /api/services/svc-1": { body: cluster("ipvsadm").services[0] },
    });
    await renderInApp(<ClusterHarness />);

    await page.getByRole("button", { name: "Edit service TCP 192.0.2.10:80" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit service" });
    await expect
      .element(dialog.getByText(/Health checks run on the keepalived engine/))
      .toBeVisible();
    expect(dialog.getByLabelText("Health check").query()).toBeNull();
    // As e2e/lab.spec.ts fills it: by a label that is not exact.
    expect(dialog.getByLabelText("Port").elements()).toHaveLength(1);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    const [sent] = api.sent("PATCH", "/api/services/svc-1");
    expect(Object.keys(sent?.body as object)).not.toContain("healthCheck");
  });
});

describe("the realserver dialog", () => {
  test("on keepalived it offers the check port; empty sends null", async () => {
    const api = clusterApi("operator", "keepalived", {
      "PATCH /api/realservers/rs-1": { body: realserver("rs-1", "10.0.0.11") },
    });
    await renderInApp(<ClusterHarness />);

    await page.getByRole("button", { name: "Edit realserver 10.0.0.11:80" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit realserver" });
    await dialog.getByLabelText("Check port").fill("8080");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    expect(api.sent("PATCH", "/api/realservers/rs-1").map((r) => r.body)).toEqual([
      expect.objectContaining({ checkPort: 8080 }),
    ]);
  });

  test("on ipvsadm it has no check port, so Port is one field", async () => {
    clusterApi("operator", "ipvsadm");
    await renderInApp(<ClusterHarness />);

    await page.getByRole("button", { name: "Add realserver" }).click();
    const dialog = page.getByRole("dialog", { name: "Add realserver" });
    await expect.element(dialog.getByLabelText("Address")).toBeVisible();
    expect(dialog.getByLabelText("Check port").query()).toBeNull();
    expect(dialog.getByLabelText("Port").elements()).toHaveLength(1);
  });
});
