// The service's NAT / DR / TUN switch in real Chromium, inside its ServiceCard on a cluster fetched
// over the (in-page) API: one PATCH per choice, the pending choice shown while it saves, TUN
// refused up front on an IPv6 VIP, a viewer's read-only switch, and the old two-way switch's
// names, which e2e/lab.spec.ts drives.
import { describe, expect, test } from "vitest";
import { page } from "vitest/browser";
import { nothingPending } from "../../../test/clusterFixture.ts";
import { apiError, fakeApi } from "../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../test/render.tsx";
import { useAuthStatusQuery } from "../../api/auth.ts";
import { useClusterQuery } from "../../api/clusters.ts";
import type { Cluster, Role, Service } from "../../api/types.ts";
import { ServiceCard } from "./ServiceCard.tsx";

const AT = "2026-01-01T12:00:00.000Z";

/** One cluster with one service; a PATCH of its forwarding changes what GET returns. */
function clusterApi(
  role: Role,
  start: Partial<Service> = {},
  overrides: Parameters<typeof fakeApi>[0] = {},
) {
  let service: Service = {
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
    realservers: [],
    ...start,
  };
  const cluster = (): Cluster => ({
    id: "c1",
    name: "edge",
    description: "",
    engine: "ipvsadm",
    createdAt: AT,
    updatedAt: AT,
    director: null,
    directors: [],
    ha: null,
    services: [service],
  });
  return fakeApi({
    "GET /api/auth/status": signedInAs(role),
    "GET /api/clusters/c1": () => ({ body: cluster() }),
    ...nothingPending(),
    "PATCH /api/services/svc-1": ({ body }) => {
      service = { ...service, ...(body as Partial<Service>) };
      return { body: service };
    },
    ...overrides,
  });
}

function ClusterHarness() {
  const auth = useAuthStatusQuery();
  const query = useClusterQuery("c1");
  if (!auth.data || !query.data) return <p>Loading…</p>;
  return query.data.services.map((service) => <ServiceCard key={service.id} service={service} />);
}

const forwarding = (method: "NAT" | "DR" | "TUN") =>
  page.getByRole("switch", { name: `Forwarding: ${method}` });

describe("the forwarding switch", () => {
  test("offers NAT, DR and TUN, one on; choosing TUN saves it once and shows it", async () => {
    const api = clusterApi("operator");
    await renderInApp(<ClusterHarness />);

    await expect.element(page.getByRole("group", { name: "Forwarding" })).toBeVisible();
    await expect.element(forwarding("NAT")).toBeChecked();
    await expect.element(forwarding("DR")).not.toBeChecked();
    await expect.element(forwarding("TUN")).not.toBeChecked();

    await forwarding("TUN").click();
    await expect.element(forwarding("TUN")).toBeChecked();
    await expect.element(forwarding("NAT")).not.toBeChecked();
    await expect.element(forwarding("TUN")).toBeEnabled();
    expect(api.sent("PATCH", "/api/services/svc-1").map((r) => r.body)).toEqual([
      { forwarding: "tun" },
    ]);
  });

  test("pressing the switch that is on changes nothing; pressing another one switches", async () => {
    const api = clusterApi("operator");
    await renderInApp(<ClusterHarness />);

    await forwarding("NAT").click();
    await expect.element(forwarding("NAT")).toBeChecked();
    await forwarding("DR").click();
    await expect.element(forwarding("DR")).toBeChecked();
    await expect.element(forwarding("DR")).toBeEnabled();
    expect(api.sent("PATCH", "/api/services/svc-1").map((r) => r.body)).toEqual([
      { forwarding: "dr" },
    ]);
  });

  test("a refused choice goes back, and the refusal shows under the switch", async () => {
    const api = clusterApi(
      "operator",
      {},
      {
        "PATCH /api/services/svc-1": apiError(409, "CONFLICT", "an apply is running"),
      },
    );
    await renderInApp(<ClusterHarness />);

    await forwarding("DR").click();
    await expect.element(page.getByRole("alert")).toHaveTextContent("an apply is running");
    await expect.element(forwarding("NAT")).toBeChecked();
    await expect.element(forwarding("DR")).toHaveAccessibleDescription("an apply is running");
    expect(api.sent("PATCH", "/api/services/svc-1")).toHaveLength(1);
  });

  test("TUN is refused up front on an IPv6 VIP, with the API's reason", async () => {
    const api = clusterApi("operator", { vip: "fd00::10" });
    await renderInApp(<ClusterHarness />);

    await expect.element(forwarding("TUN")).toBeDisabled();
    await expect
      .element(forwarding("TUN"))
      .toHaveAttribute("title", expect.stringMatching(/^The VIP must be IPv4 for TUN forwarding/));
    await expect.element(forwarding("DR")).toBeEnabled();
    expect(api.sent("PATCH", "/api/services/svc-1")).toEqual([]);
  });

  test("a TUN service reads TUN, and a viewer cannot change it", async () => {
    const api = clusterApi("viewer", { forwarding: "tun" });
    await renderInApp(<ClusterHarness />);

    await expect.element(forwarding("TUN")).toBeChecked();
    await expect.element(forwarding("TUN")).toHaveTextContent("TUN");
    for (const method of ["NAT", "DR", "TUN"] as const) {
      await expect.element(forwarding(method)).toBeDisabled();
    }
    await expect
      .element(page.getByRole("group", { name: "Forwarding" }))
      .toHaveAttribute("title", "Read-only: viewer role");
    expect(api.sent("PATCH", "/api/services/svc-1")).toEqual([]);
  });
});
