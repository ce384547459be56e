// A cluster as GET /api/clusters/:id returns it, for component tests: "edge" on director "lb"
// (10.0.0.1, eth0), no services unless the test gives them.
import type { Cluster } from "../src/api/types.ts";

export const FIXTURE_AT = "2026-01-01T12:00:00.000Z";

export function clusterFixture(overrides: Partial<Cluster> = {}): Cluster {
  return {
    id: "c1",
    name: "edge",
    description: "",
    engine: "ipvsadm",
    createdAt: FIXTURE_AT,
    updatedAt: FIXTURE_AT,
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
    services: [],
    ...overrides,
  };
}

/** GET /api/clusters/:id/pending-changes with nothing pending, for tests of the cluster page. */
export function nothingPending(clusterId = "c1") {
  return {
    [`GET /api/clusters/${clusterId}/pending-changes`]: {
      body: { pending: false, applied: true, changes: [], realservers: [], pendingHostSteps: 0 },
    },
  };
}
