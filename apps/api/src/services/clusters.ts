// Clusters, their director, virtual services and realservers: the desired state, edited through
// the API. One service object for the routes, composed from one part per entity (clusters/);
// every write goes through auditedWrite, so its audit entry commits with it.
import type { Db } from "../plugins/db.ts";
import { clusterOperations } from "./clusters/cluster.ts";
import { directorOperations } from "./clusters/director.ts";
import { directorsOperations } from "./clusters/directors.ts";
import { realServerOperations } from "./clusters/realserver.ts";
import { virtualServiceOperations } from "./clusters/virtual-service.ts";

export type { ClusterInput } from "./clusters/cluster.ts";
export type { DirectorInput } from "./clusters/director.ts";
export type { RealServerInput } from "./clusters/realserver.ts";
export type { ServiceInput } from "./clusters/service-patch.ts";

export function createClusterService(db: Db) {
  return {
    ...clusterOperations(db),
    ...directorOperations(db),
    ...directorsOperations(db),
    ...virtualServiceOperations(db),
    ...realServerOperations(db),
  };
}

export type ClusterService = ReturnType<typeof createClusterService>;
