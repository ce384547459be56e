// Drift: what changed on a cluster's director outside the panel, and adopting it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { clusterKeys, invalidateCluster } from "./clusters.ts";
import type { Cluster, Drift, DriftChange } from "./types.ts";

/** How often an open cluster page asks whether its director changed. */
const DRIFT_POLL_MS = 60_000;

export const driftKeys = {
  // Under the cluster's key: an apply or an import (invalidateCluster) asks again at once.
  cluster: (id: string) => [...clusterKeys.detail(id), "drift"] as const,
};

/** Reads the director over SSH on the server; polled every minute and on window focus. */
export function useDriftQuery(clusterId: string, enabled = true) {
  return useQuery({
    queryKey: driftKeys.cluster(clusterId),
    queryFn: () => api.get<Drift>(`/clusters/${encodeURIComponent(clusterId)}/drift`),
    enabled,
    refetchInterval: DRIFT_POLL_MS,
    refetchOnWindowFocus: true,
  });
}

/** The changes made outside the panel become the cluster's desired state. */
export function useAdoptDriftMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post<{ cluster: Cluster; adopted: DriftChange[] }>(
        `/clusters/${encodeURIComponent(clusterId)}/drift/adopt`,
      ),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}
