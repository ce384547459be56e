// Many realservers added to one service at once (all or none); the cluster is refreshed after.
import type { RealServerBulkCreate, RealServerBulkCreated } from "@lvs-panel/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { invalidateCluster } from "./clusters.ts";

export function useBulkCreateRealServersMutation(clusterId: string, serviceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RealServerBulkCreate) =>
      api.post<RealServerBulkCreated>(
        `/services/${encodeURIComponent(serviceId)}/realservers/bulk`,
        input,
      ),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}
