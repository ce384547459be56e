// Clusters, their director and their validation report.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import type {
  Cluster,
  ClusterCreate,
  ClusterOverview,
  ClusterPatch,
  DirectorInput,
  ValidationReport,
} from "./types.ts";

export const clusterKeys = {
  all: ["clusters"] as const,
  overview: () => [...clusterKeys.all, "overview"] as const,
  list: () => [...clusterKeys.all, "list"] as const,
  detail: (id: string) => [...clusterKeys.all, "detail", id] as const,
  validation: (id: string) => [...clusterKeys.detail(id), "validation"] as const,
};

export function useClustersQuery() {
  return useQuery({
    queryKey: clusterKeys.list(),
    queryFn: () => api.get<Cluster[]>("/clusters"),
  });
}

/** Counts, last apply, pending changes and host reachability; polled, since hosts change alone. */
export function useOverviewQuery() {
  return useQuery({
    queryKey: clusterKeys.overview(),
    queryFn: () => api.get<ClusterOverview[]>("/overview"),
    refetchInterval: 10_000,
  });
}

export function useClusterQuery(id: string) {
  return useQuery({
    queryKey: clusterKeys.detail(id),
    queryFn: () => api.get<Cluster>(`/clusters/${encodeURIComponent(id)}`),
  });
}

export function useClusterValidationQuery(id: string) {
  return useQuery({
    queryKey: clusterKeys.validation(id),
    queryFn: () => api.get<ValidationReport>(`/clusters/${encodeURIComponent(id)}/validation`),
  });
}

export function useCreateClusterMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ClusterCreate) => api.post<Cluster>("/clusters", input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: clusterKeys.list() }),
        queryClient.invalidateQueries({ queryKey: clusterKeys.overview() }),
      ]),
  });
}

/** Name, description or engine; an engine change is planned and applied like any change. */
export function useUpdateClusterMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ClusterPatch) =>
      api.patch<Cluster>(`/clusters/${encodeURIComponent(clusterId)}`, patch),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}

export function useDeleteClusterMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/clusters/${encodeURIComponent(id)}`),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: clusterKeys.detail(id) });
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: clusterKeys.list() }),
        queryClient.invalidateQueries({ queryKey: clusterKeys.overview() }),
      ]);
    },
  });
}

export function useSetDirectorMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: DirectorInput) =>
      api.put<Cluster>(`/clusters/${encodeURIComponent(clusterId)}/director`, input),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}

/** After any change inside a cluster: its page, its validation report and the list's counts. */
export function invalidateCluster(
  queryClient: ReturnType<typeof useQueryClient>,
  clusterId: string,
): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: clusterKeys.detail(clusterId) }),
    queryClient.invalidateQueries({ queryKey: clusterKeys.list(), exact: true }),
    queryClient.invalidateQueries({ queryKey: clusterKeys.overview() }),
  ]);
}
