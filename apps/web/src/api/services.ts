// Virtual services and their realservers; every change refreshes the owning cluster.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { invalidateCluster } from "./clusters.ts";
import type {
  RealServer,
  RealServerCreate,
  RealServerPatch,
  Service,
  ServiceCreate,
  ServicePatch,
} from "./types.ts";

const enc = encodeURIComponent;

export function useCreateServiceMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ServiceCreate) =>
      api.post<Service>(`/clusters/${enc(clusterId)}/services`, input),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}

export function useUpdateServiceMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: ServicePatch & { id: string }) =>
      api.patch<Service>(`/services/${enc(id)}`, patch),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}

export function useDeleteServiceMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/services/${enc(id)}`),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}

export function useCreateRealServerMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ serviceId, ...input }: RealServerCreate & { serviceId: string }) =>
      api.post<RealServer>(`/services/${enc(serviceId)}/realservers`, input),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}

export function useUpdateRealServerMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: RealServerPatch & { id: string }) =>
      api.patch<RealServer>(`/realservers/${enc(id)}`, patch),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}

export function useDeleteRealServerMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/realservers/${enc(id)}`),
    onSuccess: () => invalidateCluster(queryClient, clusterId),
  });
}
