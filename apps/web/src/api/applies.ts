// Plan, apply and the apply history of a cluster. A plan is fetched as a query (it only reads the
// hosts) so "Re-plan" is a refetch; an apply is followed by polling plus a Server-Sent Events feed.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "./client.ts";
import { clusterKeys } from "./clusters.ts";
import type { Apply, ApplyEvent, PendingHostSteps, Plan } from "./types.ts";

export const applyKeys = {
  all: ["applies"] as const,
  history: (clusterId: string) => [...applyKeys.all, "history", clusterId] as const,
  detail: (applyId: string) => [...applyKeys.all, "detail", applyId] as const,
  plan: (clusterId: string, options: PlanOptions) =>
    [...applyKeys.all, "plan", clusterId, options] as const,
};

export interface PlanOptions {
  /** Drain realservers before removing them. */
  drain: boolean;
  /** Also remove the director's services no cluster of the panel owns (taking it over). */
  removeForeign: boolean;
}

/** The request's flags: only those set, so a plain plan sends `{}`. */
function planFlags({ drain, removeForeign }: PlanOptions) {
  return { ...(drain ? { drain } : {}), ...(removeForeign ? { removeForeign } : {}) };
}

const clusterPath = (id: string) => `/clusters/${encodeURIComponent(id)}`;
const applyPath = (id: string) => `/applies/${encodeURIComponent(id)}`;

/**
 * Reads every host over SSH and plans. Never refetched behind the operator's back: the preview
 * must stay the plan they are reading (its hash is what Apply insists on).
 */
export function usePlanQuery(clusterId: string, options: PlanOptions) {
  return useQuery({
    queryKey: applyKeys.plan(clusterId, options),
    queryFn: () => api.post<Plan>(`${clusterPath(clusterId)}/plan`, planFlags(options)),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

export function useStartApplyMutation(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ planHash, ...options }: PlanOptions & { planHash: string }) =>
      api.post<{ applyId: string }>(`${clusterPath(clusterId)}/apply`, {
        planHash,
        drain: options.drain,
        ...(options.removeForeign ? { removeForeign: true } : {}),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: applyKeys.history(clusterId) }),
  });
}

/**
 * Steps the last successful apply left on realservers it could not reach. Under the cluster's
 * key: an apply's end refreshes it with the cluster.
 */
export function usePendingHostStepsQuery(clusterId: string) {
  return useQuery({
    queryKey: [...clusterKeys.detail(clusterId), "pending-host-steps"] as const,
    queryFn: () => api.get<PendingHostSteps>(`${clusterPath(clusterId)}/pending-host-steps`),
  });
}

export function useClusterAppliesQuery(clusterId: string) {
  return useQuery({
    queryKey: applyKeys.history(clusterId),
    queryFn: () => api.get<Apply[]>(`${clusterPath(clusterId)}/applies`),
    // A running apply shows up here too; keep its badge moving until it ends.
    refetchInterval: (query) =>
      query.state.data?.some((a) => a.status === "running") ? 2_000 : false,
  });
}

/** One apply; polled every second while it runs. */
export function useApplyQuery(applyId: string) {
  return useQuery({
    queryKey: applyKeys.detail(applyId),
    queryFn: () => api.get<Apply>(applyPath(applyId)),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 1_000 : false),
  });
}

/**
 * The apply's live event feed (replayed from the start by the server), while `enabled`. Events
 * arrive before the next poll would bring them; when the stream says `end`, the apply query is
 * refetched for the final status.
 */
export function useApplyEvents(applyId: string, enabled: boolean): ApplyEvent[] {
  const queryClient = useQueryClient();
  const [events, setEvents] = useState<ApplyEvent[]>([]);

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    const source = new EventSource(`/api${applyPath(applyId)}/events`);
    source.onmessage = (message: MessageEvent<string>) => {
      let event: ApplyEvent;
      try {
        event = JSON.parse(message.data) as ApplyEvent;
      } catch {
        return;
      }
      if (typeof event.seq !== "number") return;
      setEvents((seen) => (seen.some((e) => e.seq === event.seq) ? seen : [...seen, event]));
    };
    source.addEventListener("end", () => {
      source.close();
      void queryClient.invalidateQueries({ queryKey: applyKeys.detail(applyId) });
    });
    // On errors EventSource reconnects by itself and the server replays; polling covers the gap.
    return () => source.close();
  }, [applyId, enabled, queryClient]);

  return events;
}

/** After an apply ends: its history, the cluster page and the list's summary may all change. */
export function invalidateAfterApply(
  queryClient: ReturnType<typeof useQueryClient>,
  clusterId: string,
): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: applyKeys.history(clusterId) }),
    queryClient.invalidateQueries({ queryKey: clusterKeys.detail(clusterId) }),
    queryClient.invalidateQueries({ queryKey: clusterKeys.list(), exact: true }),
    queryClient.invalidateQueries({ queryKey: clusterKeys.overview() }),
  ]);
}
