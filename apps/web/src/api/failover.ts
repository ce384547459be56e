// Director failover: the directors as a list, the VRRP settings, and the switchover.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { invalidateCluster } from "./clusters.ts";
import type { Cluster, DirectorsInput, HaInput } from "./types.ts";

export interface FailoverInput {
  /** null: no VRRP (one director, VIPs added by the panel). */
  ha: HaInput | null;
  directors: DirectorsInput;
}

/** Saves the failover settings and the directors: ha first when adding, last when removing. */
export function useSaveFailoverMutation(clusterId: string) {
  const queryClient = useQueryClient();
  const path = `/clusters/${encodeURIComponent(clusterId)}`;
  return useMutation({
    mutationFn: async ({ ha, directors }: FailoverInput) => {
      if (ha === null) {
        await api.put<Cluster>(`${path}/directors`, directors);
        return api.patch<Cluster>(path, { ha: null });
      }
      await api.patch<Cluster>(path, { ha });
      return api.put<Cluster>(`${path}/directors`, directors);
    },
    onSettled: () => invalidateCluster(queryClient, clusterId),
  });
}

export function useSwitchoverMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (hostId: string) =>
      api.post<{ applyId: string; changed: boolean }>(
        `/clusters/${encodeURIComponent(clusterId)}/switchover`,
        { hostId },
      ),
    onSettled: () => invalidateCluster(queryClient, clusterId),
  });
}
