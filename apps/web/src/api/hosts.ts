// SSH hosts. Secrets go up, never come back: a Host only says whether it has one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { clusterKeys } from "./clusters.ts";
import type { Host, HostCreate, HostKeyScan, HostKeyTrust, HostPatch } from "./types.ts";

export const hostKeys = {
  all: ["hosts"] as const,
  list: () => [...hostKeys.all, "list"] as const,
};

export function useHostsQuery() {
  return useQuery({
    queryKey: hostKeys.list(),
    queryFn: () => api.get<Host[]>("/hosts"),
  });
}

export function useCreateHostMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: HostCreate) => api.post<Host>("/hosts", input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.all }),
  });
}

export function useUpdateHostMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: HostPatch & { id: string }) =>
      api.patch<Host>(`/hosts/${encodeURIComponent(id)}`, patch),
    // A director shows its host's name and address, so clusters may change too.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: hostKeys.all }),
        queryClient.invalidateQueries({ queryKey: clusterKeys.all }),
      ]),
  });
}

export function useDeleteHostMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/hosts/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.all }),
  });
}

/** Connects once and reports the key the host presents, next to the pinned one. */
export function useScanHostKeyMutation() {
  return useMutation({
    mutationFn: (id: string) => api.post<HostKeyScan>(`/hosts/${encodeURIComponent(id)}/scan`),
  });
}

/** Pins the fingerprint the operator confirmed; the API refuses if the host now shows another. */
export function useTrustHostKeyMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...trust }: HostKeyTrust & { id: string }) =>
      api.post<Host>(`/hosts/${encodeURIComponent(id)}/trust`, trust),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.all }),
  });
}
