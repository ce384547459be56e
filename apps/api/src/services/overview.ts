// The landing page's view of every cluster: size, the last apply, whether the desired state has
// changed since the last successful apply, and whether its hosts answer over SSH. Reachability
// comes from the host-health service's memory (probes start in the background), so this never
// waits on a host.
import type { Db } from "../plugins/db.ts";
import type { AppliedDesired } from "./apply/context.ts";
import { clusterInclude, toClusterSpec } from "./cluster-dto.ts";
import type { HostHealthService } from "./host-health.ts";

export interface OverviewHost {
  id: string;
  name: string;
  role: "director" | "realserver";
  reachable: boolean | null;
  checkedAt: string | null;
  error: string | null;
}

export interface ClusterOverview {
  id: string;
  name: string;
  director: { hostId: string; name: string; address: string } | null;
  counts: { services: number; realservers: number };
  lastApply: {
    id: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    username: string | null;
  } | null;
  pendingChanges: boolean;
  hosts: OverviewHost[];
}

export function createOverviewService(deps: { db: Db; health: HostHealthService }) {
  const { db, health } = deps;
  return {
    async list(): Promise<ClusterOverview[]> {
      const clusters = await db.cluster.findMany({
        include: clusterInclude,
        orderBy: { name: "asc" },
      });
      const ids = clusters.map((c) => c.id);
      // The latest apply and the latest successful one per cluster, without their (large) plan
      // and log columns.
      const [latest, succeeded] = await Promise.all([
        db.apply.findMany({
          where: { clusterId: { in: ids } },
          orderBy: [{ startedAt: "desc" }, { id: "desc" }],
          distinct: ["clusterId"],
          select: {
            id: true,
            clusterId: true,
            status: true,
            startedAt: true,
            finishedAt: true,
            user: { select: { username: true } },
          },
        }),
        db.apply.findMany({
          where: { clusterId: { in: ids }, status: "succeeded" },
          orderBy: [{ startedAt: "desc" }, { id: "desc" }],
          distinct: ["clusterId"],
          select: { clusterId: true, desired: true },
        }),
      ]);
      const latestOf = new Map(latest.map((a) => [a.clusterId, a]));
      const appliedOf = new Map(succeeded.map((a) => [a.clusterId, a.desired]));

      const hostIds = new Set<string>();
      for (const c of clusters) {
        if (c.director) hostIds.add(c.director.hostId);
        for (const s of c.services)
          for (const rs of s.realservers) if (rs.hostId) hostIds.add(rs.hostId);
      }
      const hostRows = await db.host.findMany({
        where: { id: { in: [...hostIds] } },
        select: { id: true, name: true, hostKeySha256: true },
      });
      const hostOf = new Map(hostRows.map((h) => [h.id, h]));
      // A host whose key nobody confirmed is not contacted at all; say so now.
      health.refresh(hostRows.filter((h) => h.hostKeySha256).map((h) => h.id));
      const healthOf = (id: string) => {
        const host = hostOf.get(id);
        if (host && !host.hostKeySha256) {
          return {
            reachable: false,
            checkedAt: null,
            error: `the host key of "${host.name}" is not trusted yet: scan it and confirm its fingerprint on the Hosts page`,
          };
        }
        return health.get(id);
      };

      return clusters.map((c) => {
        const roles = new Map<string, OverviewHost["role"]>();
        if (c.director) roles.set(c.director.hostId, "director");
        for (const s of c.services) {
          for (const rs of s.realservers) {
            if (rs.hostId && !roles.has(rs.hostId)) roles.set(rs.hostId, "realserver");
          }
        }
        const applied = appliedOf.get(c.id);
        const last = latestOf.get(c.id);
        return {
          id: c.id,
          name: c.name,
          director: c.director
            ? {
                hostId: c.director.hostId,
                name: c.director.host.name,
                address: c.director.host.address,
              }
            : null,
          counts: {
            services: c.services.length,
            realservers: c.services.reduce((n, s) => n + s.realservers.length, 0),
          },
          lastApply: last
            ? {
                id: last.id,
                status: last.status,
                startedAt: last.startedAt.toISOString(),
                finishedAt: last.finishedAt?.toISOString() ?? null,
                username: last.user?.username ?? null,
              }
            : null,
          pendingChanges:
            applied === undefined
              ? c.services.length > 0
              : !sameSpec(toClusterSpec(c), appliedSpec(applied)),
          hosts: [...roles].map(([id, role]) => ({
            id,
            name: hostOf.get(id)?.name ?? id,
            role,
            ...healthOf(id),
          })),
        };
      });
    },
  };
}

export type OverviewService = ReturnType<typeof createOverviewService>;

function appliedSpec(desired: string): unknown {
  try {
    return (JSON.parse(desired) as Partial<AppliedDesired>).spec ?? null;
  } catch {
    return null;
  }
}

/** Equal as JSON values, whatever the order of object keys (the stored JSON may predate a field). */
function sameSpec(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
        )
      : v,
  );
}
