// The clusters overview in real Chromium, from /api/clusters and /api/overview payloads in the
// shapes apps/api/src/routes/overview.ts declares: sizes, the hosts that do not answer (by name),
// and the pending-changes and drift badges.
import { expect, test } from "vitest";
import { page } from "vitest/browser";
import { fakeApi } from "../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../test/render.tsx";
import type { Cluster, ClusterOverview } from "../../api/types.ts";
import { ClustersPage } from "./ClustersPage.tsx";

const AN_HOUR_AGO = new Date(Date.now() - 3_600_000).toISOString();

function cluster(id: string, name: string, director: string): Cluster {
  return {
    id,
    name,
    description: `${name} load balancers`,
    engine: "ipvsadm",
    createdAt: AN_HOUR_AGO,
    updatedAt: AN_HOUR_AGO,
    director: {
      hostId: `h-${director}`,
      dip: "10.0.0.1",
      interface: "eth0",
      vipInterface: null,
      priority: 100,
      host: { id: `h-${director}`, name: director, address: "10.0.0.1" },
    },
    // The list's own services are not what the overview counts; the counts must come from it.
    directors: [],
    ha: null,
    services: [],
  };
}

function host(name: string, role: "director" | "realserver", reachable: boolean | null) {
  return {
    id: `h-${name}`,
    name,
    role,
    reachable,
    checkedAt: reachable === null ? null : AN_HOUR_AGO,
    error: reachable === false ? `connect ECONNREFUSED to ${name}:22` : null,
  };
}

const overview: ClusterOverview[] = [
  {
    id: "c-edge",
    name: "edge",
    engine: "ipvsadm",
    health: null,
    drift: {
      status: "drift",
      summary: "changed outside the panel: 2 realservers, 1 weight",
      at: AN_HOUR_AGO,
    },
    director: { hostId: "h-lb1", name: "lb1", address: "10.0.0.1" },
    counts: { services: 3, realservers: 7 },
    lastApply: {
      id: "a1",
      status: "succeeded",
      startedAt: AN_HOUR_AGO,
      finishedAt: AN_HOUR_AGO,
      username: "alice",
    },
    pendingChanges: true,
    pendingHostSteps: 0,
    hosts: [
      host("lb1", "director", true),
      host("web-1", "realserver", true),
      host("web-2", "realserver", false),
      host("web-3", "realserver", false),
      host("web-4", "realserver", null),
    ],
  },
  {
    id: "c-db",
    name: "db",
    engine: "ipvsadm",
    health: null,
    drift: { status: "none", summary: "", at: AN_HOUR_AGO },
    director: { hostId: "h-lb2", name: "lb2", address: "10.0.1.1" },
    counts: { services: 1, realservers: 2 },
    lastApply: null,
    pendingChanges: false,
    pendingHostSteps: 0,
    hosts: [host("lb2", "director", true), host("pg-1", "realserver", true)],
  },
];

test("each cluster shows its counts, unreachable hosts by name, pending changes and drift", async () => {
  fakeApi({
    "GET /api/auth/status": signedInAs("viewer"),
    "GET /api/clusters": { body: [cluster("c-edge", "edge", "lb1"), cluster("c-db", "db", "lb2")] },
    "GET /api/overview": { body: overview },
  });
  await renderInApp(<ClustersPage />);

  const edge = page.getByRole("listitem", { name: "Cluster edge" });
  await expect.element(edge.getByText("2/5 reachable")).toBeVisible();
  await expect.element(edge).toHaveTextContent("3 services");
  await expect.element(edge).toHaveTextContent("7 realservers");
  await expect.element(edge.getByText("checking 1…")).toBeVisible();
  await expect.element(edge.getByText("Succeeded")).toBeVisible();
  const unreachable = edge.getByRole("list", { name: "Unreachable hosts" }).getByRole("listitem");
  expect(unreachable.elements().map((li) => li.textContent)).toEqual([
    "web-2 (realserver): connect ECONNREFUSED to web-2:22",
    "web-3 (realserver): connect ECONNREFUSED to web-3:22",
  ]);
  await expect
    .element(edge.getByRole("link", { name: "Pending changes in edge: open to plan and apply" }))
    .toHaveAttribute("href", "/clusters/c-edge");
  const drift = edge.getByRole("link", {
    name: "Drift in edge: changed outside the panel: 2 realservers, 1 weight",
  });
  await expect.element(drift).toHaveTextContent("Drift");
  await expect
    .element(drift)
    .toHaveAttribute("title", "Changed outside the panel: 2 realservers, 1 weight");

  const db = page.getByRole("listitem", { name: "Cluster db" });
  await expect.element(db.getByText("2/2 reachable")).toBeVisible();
  await expect.element(db).toHaveTextContent("1 service");
  await expect.element(db).toHaveTextContent("2 realservers");
  await expect.element(db.getByText("Never")).toBeVisible();
  expect(db.getByRole("list", { name: "Unreachable hosts" }).query()).toBeNull();
  expect(db.getByText("Pending changes").query()).toBeNull();
  expect(db.getByText("Drift").query()).toBeNull();
});

test("hosts not probed yet read checking…, in no alarming colour, not 0/N reachable", async () => {
  const fresh: ClusterOverview = {
    ...(overview[1] as ClusterOverview),
    hosts: [host("lb2", "director", null), host("pg-1", "realserver", null)],
  };
  fakeApi({
    "GET /api/auth/status": signedInAs("viewer"),
    "GET /api/clusters": { body: [cluster("c-db", "db", "lb2")] },
    "GET /api/overview": { body: [fresh] },
  });
  await renderInApp(<ClustersPage />);
  const db = page.getByRole("listitem", { name: "Cluster db" });
  const checking = db.getByText("checking…", { exact: true });
  await expect.element(checking).toBeVisible();
  expect(db.getByText(/reachable/).query()).toBeNull();
  expect(checking.element().className).toMatch(/bg-slate-100/);
  expect(checking.element().className).not.toMatch(/red/);
});
