// The landing page's view of every cluster: size, the last apply, whether the desired state has
// changed since the last successful apply, and whether its hosts answer over SSH. Reachability
// comes from the host-health service's memory (probes start in the background), so this never
// waits on a host.
import type { ApplyStatus, ClusterOverview, OverviewHost } from "@lvs-panel/contract";
import type { Db } from "../plugins/db.ts";
import { type AppliedDesired, pendingHostsOf } from "./apply/context.ts";
import { clusterInclude, engineOf, firstDirector, toClusterSpec } from "./cluster-dto.ts";
import type { DriftView, DriftWatch } from "./drift/cluster-drift.ts";
import type { ClusterHealthService } from "./health/cluster-health.ts";
import type { HostHealthService } from "./host-health.ts";

export type { ClusterOverview, OverviewHost } from "@lvs-panel/contract";

export function createOverviewService(deps: {
  db: Db;
  health: HostHealthService;
  /** The latest verdicts on each cluster's realservers, as the live view or the API last read. */
  clusterHealth?: Pick<ClusterHealthService, "lastKnown">;
  /** The latest drift check of each cluster's director. */
  drift?: Pick<DriftWatch, "latest">;
}) {
  const { db, health } = deps;
  return {
    async list(): Promise<ClusterOverview[]> {
      const clusters = await db.cluster.findMany({
        include: clusterInclude,
        orderBy: { name: "asc" },
      });
      // The latest apply and the latest successful one per cluster: their ids from one query
      // walking the (clusterId, startedAt, id) index from each cluster's newest end (Prisma's
      // `distinct` would load every apply and its JSON), then only those rows, without their
      // (large) plan and log columns.
      // Identifiers quoted: PostgreSQL folds unquoted ones to lower case (SQLite accepts both).
      const picks = await db.$queryRaw<{ latestId: string | null; succeededId: string | null }[]>`
        SELECT
          (SELECT a."id" FROM "Apply" a WHERE a."clusterId" = c."id"
            ORDER BY a."startedAt" DESC, a."id" DESC LIMIT 1) AS "latestId",
          (SELECT a."id" FROM "Apply" a WHERE a."clusterId" = c."id" AND a."status" = 'succeeded'
            ORDER BY a."startedAt" DESC, a."id" DESC LIMIT 1) AS "succeededId"
        FROM "Cluster" c`;
      const latestIds = picks.flatMap((p) => (p.latestId ? [p.latestId] : []));
      const succeededIds = picks.flatMap((p) => (p.succeededId ? [p.succeededId] : []));
      const [latest, succeeded] = await Promise.all([
        db.apply.findMany({
          where: { id: { in: latestIds } },
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
          where: { id: { in: succeededIds } },
          select: { clusterId: true, desired: true },
        }),
      ]);
      const latestOf = new Map(latest.map((a) => [a.clusterId, a]));
      const appliedOf = new Map(succeeded.map((a) => [a.clusterId, a.desired]));

      const hostIds = new Set<string>();
      for (const c of clusters) {
        for (const d of c.directors) hostIds.add(d.hostId);
        for (const s of c.services)
          for (const rs of s.realservers) if (rs.hostId) hostIds.add(rs.hostId);
      }
      const hostRows = await db.host.findMany({
        where: { id: { in: [...hostIds] } },
        select: {
          id: true,
          name: true,
          hostKeySha256: true,
          ...probedFields,
          jumpHost: { select: { id: true, hostKeySha256: true, ...probedFields } },
        },
      });
      const hostOf = new Map(hostRows.map((h) => [h.id, { ...h, version: hostVersion(h) }]));
      // A host whose key nobody confirmed is not contacted at all; say so now.
      health.refresh([...hostOf.values()].filter((h) => h.hostKeySha256));
      const healthOf = (id: string) => {
        const host = hostOf.get(id);
        // Deleted between the two reads: nothing to say yet.
        if (!host) return { reachable: null, checkedAt: null, error: null };
        if (!host.hostKeySha256) {
          return {
            reachable: false,
            checkedAt: null,
            error: `the host key of "${host.name}" is not trusted yet: scan it and confirm its fingerprint on the Hosts page`,
          };
        }
        return health.get(host);
      };

      return clusters.map((c) => {
        const roles = new Map<string, OverviewHost["role"]>();
        for (const d of c.directors) roles.set(d.hostId, "director");
        const director = firstDirector(c);
        for (const s of c.services) {
          for (const rs of s.realservers) {
            if (rs.hostId && !roles.has(rs.hostId)) roles.set(rs.hostId, "realserver");
          }
        }
        const applied = appliedOf.get(c.id);
        const last = latestOf.get(c.id);
        const verdicts = deps.clusterHealth?.lastKnown(c.id);
        return {
          id: c.id,
          name: c.name,
          engine: engineOf(c),
          health: verdicts
            ? {
                at: verdicts.at,
                up: verdicts.realservers.filter((r) => r.state === "up").length,
                down: verdicts.realservers.filter((r) => r.state === "down").length,
                unknown: verdicts.realservers.filter((r) => r.state === "unknown").length,
              }
            : null,
          drift: driftOf(deps.drift?.latest(c.id) ?? null),
          director: director
            ? { hostId: director.hostId, name: director.host.name, address: director.host.address }
            : null,
          counts: {
            services: c.services.length,
            realservers: c.services.reduce((n, s) => n + s.realservers.length, 0),
          },
          lastApply: last
            ? {
                id: last.id,
                status: last.status as ApplyStatus,
                startedAt: last.startedAt.toISOString(),
                finishedAt: last.finishedAt?.toISOString() ?? null,
                username: last.user?.username ?? null,
              }
            : null,
          pendingChanges:
            applied === undefined
              ? c.services.length > 0
              : !sameSpec(toClusterSpec(c), appliedSpec(applied)) ||
                pendingHostStepCount(applied) > 0,
          pendingHostSteps: applied === undefined ? 0 : pendingHostStepCount(applied),
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

/** What a probe depends on; `updatedAt` catches a new key or password, which is not readable. */
export const probedFields = {
  address: true,
  port: true,
  username: true,
  authType: true,
  jumpHostId: true,
  updatedAt: true,
} as const;

interface ProbedHost {
  id: string;
  hostKeySha256: string | null;
  address: string;
  port: number;
  username: string;
  authType: string;
  jumpHostId: string | null;
  updatedAt: Date;
}

/**
 * Changes whenever the host or its jump host is edited or (re)trusted, so the health service
 * forgets what it learnt about the host before.
 */
export function hostVersion(host: ProbedHost & { jumpHost: ProbedHost | null }): string {
  const own = (h: ProbedHost) => [
    h.id,
    h.address,
    h.port,
    h.username,
    h.authType,
    h.hostKeySha256,
    h.jumpHostId,
    h.updatedAt.toISOString(),
  ];
  return JSON.stringify([own(host), host.jumpHost ? own(host.jumpHost) : null]);
}

function pendingHostStepCount(desired: string): number {
  return Object.values(pendingHostsOf(desired)).reduce((n, h) => n + h.steps.length, 0);
}

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

function driftOf(view: DriftView | null) {
  return view ? { status: view.status, summary: view.summary, at: view.at } : null;
}
