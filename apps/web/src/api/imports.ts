// Importing what already runs on a director: the preview, a new cluster from it, or chosen
// services into an existing cluster.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { clusterKeys, invalidateCluster } from "./clusters.ts";
import type { ClusterImportRequest, ImportPreview, ImportResult } from "./types.ts";

export const importKeys = {
  all: ["imports"] as const,
  preview: (hostId: string) => [...importKeys.all, "preview", hostId] as const,
};

/**
 * Reads the director over SSH (null: not yet asked). Like a plan, never refetched behind the
 * operator's back: the services ticked are the ones they are reading.
 */
export function useImportPreviewQuery(hostId: string | null) {
  return useQuery({
    queryKey: importKeys.preview(hostId ?? ""),
    queryFn: () => api.post<ImportPreview>("/clusters/import/preview", { hostId }),
    enabled: hostId !== null,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/** A new cluster owning what runs on the director (or the services named). */
export function useImportClusterMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ClusterImportRequest) => api.post<ImportResult>("/clusters/import", input),
    onSuccess: (result) => {
      queryClient.setQueryData(clusterKeys.detail(result.cluster.id), result.cluster);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: clusterKeys.list() }),
        queryClient.invalidateQueries({ queryKey: clusterKeys.overview() }),
      ]);
    },
  });
}

/** Chosen services of the cluster's director adopted into the cluster. */
export function useImportServicesMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (services: string[]) =>
      api.post<ImportResult>(`/clusters/${encodeURIComponent(clusterId)}/import`, { services }),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}
