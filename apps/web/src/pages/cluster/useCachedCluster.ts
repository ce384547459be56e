// The cluster as the cluster page has it loaded, for the parts inside it that need more of it than
// they are given (the plan dialog's labels, a service's director): read from the query cache and
// kept current with it, never fetched again on their account. Undefined until the page has it.
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client.ts";
import { clusterKeys } from "../../api/clusters.ts";
import type { Cluster } from "../../api/types.ts";

export function useCachedCluster(id: string): Cluster | undefined {
  return useQuery({
    queryKey: clusterKeys.detail(id),
    queryFn: () => api.get<Cluster>(`/clusters/${encodeURIComponent(id)}`),
    enabled: false,
  }).data;
}
