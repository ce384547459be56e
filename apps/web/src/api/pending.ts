// What the hosts do not carry yet: the desired state against the last successful apply.
import { useQuery } from "@tanstack/react-query";
import { api } from "./client.ts";
import { clusterKeys } from "./clusters.ts";
import type { PendingChanges } from "./types.ts";

/** Under the cluster's detail key, so every change inside the cluster refreshes it. */
export const pendingKey = (clusterId: string) => [...clusterKeys.detail(clusterId), "pending"];

export function usePendingChanges(clusterId: string) {
  return useQuery({
    queryKey: pendingKey(clusterId),
    queryFn: () =>
      api.get<PendingChanges>(`/clusters/${encodeURIComponent(clusterId)}/pending-changes`),
  });
}
