// SSH hosts. Secrets go up, never come back: a Host only says whether it has one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { clusterKeys } from "./clusters.ts";
import type {
  Host,
  HostCreate,
  HostInterfaces,
  HostKeyScan,
  HostKeyTrust,
  HostLinks,
  HostLoginTest,
  HostPatch,
} from "./types.ts";

export const hostKeys = {
  all: ["hosts"] as const,
  list: () => [...hostKeys.all, "list"] as const,
  links: (id: string) => [...hostKeys.all, "links", id] as const,
  interfaces: (id: string) => [...hostKeys.all, "interfaces", id] as const,
};

const hostPath = (id: string) => `/hosts/${encodeURIComponent(id)}`;

/** `enabled: false` reads nothing (a table that only needs hosts when a row names one). */
export function useHostsQuery(opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: hostKeys.list(),
    queryFn: () => api.get<Host[]>("/hosts"),
    enabled: opts.enabled ?? true,
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

/** What refers to a host, for the delete dialog to name before it asks. */
export function useHostLinksQuery(id: string) {
  return useQuery({
    queryKey: hostKeys.links(id),
    queryFn: () => api.get<HostLinks>(`${hostPath(id)}/links`),
  });
}

/** `force` unlinks the realservers that name the host (after the dialog named them). */
export function useDeleteHostMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, force }: { id: string; force?: boolean }) =>
      api.delete(`${hostPath(id)}${force ? "?force=true" : ""}`),
    // Unlinked realservers no longer show the host on the cluster page.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: hostKeys.all }),
        queryClient.invalidateQueries({ queryKey: clusterKeys.all }),
      ]),
  });
}

/** Logs in afresh and checks sudo and the tools the host's role needs; an SSH failure is a result. */
export function useTestLoginMutation() {
  return useMutation({
    mutationFn: (id: string) => api.post<HostLoginTest>(`${hostPath(id)}/test`),
  });
}

/**
 * The host's interfaces and addresses, read over SSH. Not retried: a host that cannot be reached
 * leaves the interface to be typed, at once.
 */
export function useHostInterfacesQuery(id: string | undefined) {
  return useQuery({
    queryKey: hostKeys.interfaces(id ?? ""),
    queryFn: () => api.get<HostInterfaces>(`${hostPath(id ?? "")}/interfaces`),
    enabled: Boolean(id),
    retry: false,
    staleTime: 60_000,
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
