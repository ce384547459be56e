// Importing what already runs on a director: a new cluster that owns every service found (or a
// chosen few), or chosen services adopted into an existing cluster. The services are stored
// exactly as the director holds them, so the next plan has nothing to change in the table; what
// the model cannot hold is refused whole, with the reason, never half-imported.
import {
  canonicalAddress,
  type ImportRefusal,
  normalizeService,
  ownershipKey,
  type ServiceSpec,
  serviceLabel,
} from "@lvs-panel/lvs";
import type { SshPool } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import { recordKnownTable, recordOwned } from "../apply/ownership.ts";
import { auditedWrite, type Tx } from "../audited-write.ts";
import type { SessionUser } from "../auth-service.ts";
import { type ClusterDto, clusterInclude, firstDirector, toClusterDto } from "../cluster-dto.ts";
import { checkHostExists, existingCluster } from "../clusters/existing.ts";
import { serviceColumns } from "../clusters/service-patch.ts";
import { conflict, DomainError } from "../errors.ts";
import type { TargetResolver } from "../host-targets.ts";
import { readDirectorForImport } from "./director-read.ts";
import { choose, type ImportedService, type ImportPreview } from "./import-choice.ts";

export interface ImportDirectorInput {
  hostId: string;
  dip: string;
  interface: string;
  vipInterface?: string | null | undefined;
}

export function createImportService(deps: { db: Db; targets: TargetResolver; pool: SshPool }) {
  const { db, targets, pool } = deps;

  /** The director read, less what the panel's clusters already own there. */
  async function preview(hostId: string, clusterId?: string): Promise<ImportPreview> {
    await checkHostExists(db, "hostId", hostId);
    const read = await readDirectorForImport(pool.runner(await targets.target(hostId)));
    const owned = await db.ownedService.findMany({
      where: { directorHostId: hostId },
      select: { key: true, clusterId: true, cluster: { select: { name: true } } },
    });
    const owners = new Map(owned.map((o) => [o.key, o]));
    const services: ImportedService[] = [];
    const refused = [...read.refused];
    for (const spec of read.services) {
      const service = serviceLabel(normalizeService(spec));
      const owner = owners.get(ownershipKey(spec));
      if (!owner) services.push({ service, spec });
      else if (owner.clusterId === clusterId) {
        refused.push({ service, reason: "it is already in this cluster" });
      } else {
        refused.push({ service, reason: `it belongs to cluster "${owner.cluster.name}"` });
      }
    }
    return {
      engine: read.engine,
      services,
      refused,
      adjusted: read.adjusted,
      keepalivedConfSha256: read.keepalivedConfSha256,
      blockers: read.blockers,
    };
  }

  return {
    preview,

    /** A new cluster owning every importable service found (or the chosen ones). */
    async importCluster(
      user: SessionUser,
      input: {
        name: string;
        description?: string | undefined;
        director: ImportDirectorInput;
        services?: string[] | undefined;
      },
    ): Promise<{
      cluster: ClusterDto;
      refused: ImportRefusal[];
      adjusted: ImportPreview["adjusted"];
    }> {
      if (await db.cluster.findUnique({ where: { name: input.name } })) {
        throw conflict(`a cluster named "${input.name}" already exists`, {
          name: "already exists",
        });
      }
      const found = await preview(input.director.hostId);
      const chosen = choose(found, input.services);
      const director = {
        hostId: input.director.hostId,
        dip: canonicalAddress(input.director.dip),
        interface: input.director.interface,
        vipInterface: input.director.vipInterface ?? null,
      };
      const cluster = await auditedWrite(db, user, {
        action: "cluster.import",
        entityType: "cluster",
        before: undefined,
        write: async (tx) => {
          const created = await tx.cluster.create({
            data: {
              name: input.name,
              description: input.description ?? "",
              engine: found.engine,
              adoptedKeepalivedConf: found.keepalivedConfSha256,
              directors: { create: [{ ...director, position: 0 }] },
            },
          });
          await storeServices(tx, created.id, director.hostId, chosen);
          return tx.cluster.findUniqueOrThrow({
            where: { id: created.id },
            include: clusterInclude,
          });
        },
        toDto: toClusterDto,
        audited: (dto) => ({
          ...dto,
          imported: chosen.map((c) => c.service),
          refused: found.refused,
        }),
      });
      return { cluster, refused: found.refused, adjusted: found.adjusted };
    },

    /** Chosen services of the cluster's director adopted into the cluster. */
    async importIntoCluster(
      user: SessionUser,
      clusterId: string,
      labels: string[],
    ): Promise<{
      cluster: ClusterDto;
      refused: ImportRefusal[];
      adjusted: ImportPreview["adjusted"];
    }> {
      const before = await existingCluster(db, clusterId);
      const director = firstDirector(before);
      if (!director) {
        throw new DomainError(
          "conflict",
          "NO_DIRECTOR",
          "set the cluster's director before importing",
        );
      }
      const hostId = director.hostId;
      const found = await preview(hostId, clusterId);
      if (found.engine !== (before.engine === "keepalived" ? "keepalived" : "ipvsadm")) {
        throw conflict(
          found.engine === "keepalived"
            ? "keepalived runs the director's table with a configuration of its own: import it into a cluster of the keepalived engine"
            : "the director's table is not run by keepalived: import it into a cluster of the ipvsadm engine, or switch this cluster's engine after the import",
          {},
        );
      }
      const chosen = choose(found, labels);
      const cluster = await auditedWrite(db, user, {
        action: "cluster.import-services",
        entityType: "cluster",
        before: undefined,
        write: async (tx) => {
          if (found.keepalivedConfSha256 !== null) {
            await tx.cluster.update({
              where: { id: clusterId },
              data: { adoptedKeepalivedConf: found.keepalivedConfSha256 },
            });
          }
          await storeServices(tx, clusterId, hostId, chosen);
          return tx.cluster.findUniqueOrThrow({
            where: { id: clusterId },
            include: clusterInclude,
          });
        },
        toDto: toClusterDto,
        audited: () => ({ imported: chosen.map((c) => c.service) }),
      });
      return { cluster, refused: found.refused, adjusted: found.adjusted };
    },
  };
}

async function storeServices(
  tx: Tx,
  clusterId: string,
  directorHostId: string,
  chosen: readonly ImportedService[],
): Promise<void> {
  for (const { spec } of chosen) {
    await tx.virtualService.create({
      data: {
        clusterId,
        ...serviceColumns({
          ...spec,
          schedulerFlags: spec.schedulerFlags ?? [],
          ...(spec.healthCheck ? { healthCheck: spec.healthCheck } : {}),
        }),
        realservers: {
          create: spec.realservers.map((rs) => ({
            address: rs.address,
            port: rs.port,
            weight: rs.weight,
            enabled: rs.enabled,
            upperThreshold: rs.upperThreshold ?? 0,
            lowerThreshold: rs.lowerThreshold ?? 0,
            checkPort: rs.checkPort ?? null,
          })),
        },
      },
    });
  }
  await recordOwned(
    tx,
    clusterId,
    directorHostId,
    chosen.map((c) => ownershipKey(c.spec)),
    "imported",
  );
  // The drift check compares the director with what the panel knows it holds: now these too.
  const row = await tx.cluster.findUniqueOrThrow({
    where: { id: clusterId },
    select: { knownTable: true },
  });
  const known = row.knownTable ? (JSON.parse(row.knownTable) as ServiceSpec[]) : [];
  await recordKnownTable(tx, clusterId, [...known, ...chosen.map((c) => c.spec)]);
}
