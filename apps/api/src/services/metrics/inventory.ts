// What a scrape labels its figures with, from three small queries: each cluster's name and
// engine, its directors (host name, and the host's version for the reachability probes), and its
// services and realservers as configured. No plan, log or JSON column is read.
import { formatEndpoint, liveServiceKey } from "@lvs-panel/lvs";
import type { Db } from "../../plugins/db.ts";
import { hostVersion, probedFields } from "../overview.ts";

export interface InventoryRealserver {
  id: string;
  /** "10.0.0.11:80", as the live view names it. */
  label: string;
  weight: number;
}

export interface InventoryService {
  id: string;
  /** "TCP 192.168.77.100:80", as the live view names it. */
  label: string;
  realservers: InventoryRealserver[];
}

export interface InventoryDirector {
  hostId: string;
  name: string;
  /** For the host-health probes' memory (see overview.ts): null when its key is not trusted. */
  version: string | null;
}

export interface InventoryCluster {
  id: string;
  name: string;
  engine: string;
  /** The first is the one the live view reads. */
  directors: InventoryDirector[];
  services: InventoryService[];
}

export async function readInventory(db: Db): Promise<InventoryCluster[]> {
  const clusters = await db.cluster.findMany({
    select: { id: true, name: true, engine: true },
    orderBy: { name: "asc" },
  });
  const directors = await db.director.findMany({
    orderBy: [{ clusterId: "asc" }, { position: "asc" }],
    select: {
      clusterId: true,
      hostId: true,
      host: {
        select: {
          id: true,
          name: true,
          hostKeySha256: true,
          ...probedFields,
          jumpHost: { select: { id: true, hostKeySha256: true, ...probedFields } },
        },
      },
    },
  });
  const services = await db.virtualService.findMany({
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      clusterId: true,
      protocol: true,
      vip: true,
      port: true,
      fwmark: true,
      realservers: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, address: true, port: true, weight: true },
      },
    },
  });
  const byCluster = new Map<string, InventoryCluster>(
    clusters.map((c) => [c.id, { ...c, directors: [], services: [] }]),
  );
  for (const d of directors) {
    byCluster.get(d.clusterId)?.directors.push({
      hostId: d.hostId,
      name: d.host.name,
      version: d.host.hostKeySha256 ? hostVersion(d.host) : null,
    });
  }
  for (const s of services) {
    byCluster.get(s.clusterId)?.services.push({
      id: s.id,
      label: liveServiceKey({ ...s, fwmark: s.fwmark > 0 ? s.fwmark : null }),
      realservers: s.realservers.map((rs) => ({
        id: rs.id,
        label: formatEndpoint(rs.address, rs.port),
        weight: rs.weight,
      })),
    });
  }
  return [...byCluster.values()];
}
