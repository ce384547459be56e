// What keepalived sees on a cluster: its state on the director and each realserver's check
// verdict. Read from `GET /api/clusters/:id/health` every 2 s while the cluster page is open,
// unless the page's live stream already carries it (every tick does), which is then used instead.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { LiveStream } from "../live/useLiveStream.ts";
import { api } from "./client.ts";
import { clusterKeys } from "./clusters.ts";
import type { ClusterHealth } from "./types.ts";

/** How often the page asks for health when no live tick brings it. */
const HEALTH_POLL_MS = 2_000;

export const healthKeys = {
  // Under the cluster's key: a change to the cluster (invalidateCluster) asks again at once.
  cluster: (id: string) => [...clusterKeys.detail(id), "health"] as const,
};

export interface ClusterHealthState {
  /** The newest reading, from the live tick or the GET; null before the first. */
  health: ClusterHealth | null;
  /** Why the last GET failed while no live tick brings health; the reading shown is then older. */
  error: Error | null;
}

/**
 * The health of one cluster. `live` is the live tick's health while the stream is current (see
 * liveHealth); while it is there the GET is not polled. `enabled: false` (the ipvsadm engine,
 * where nothing is checked) asks for nothing.
 */
export function useClusterHealth(
  clusterId: string,
  { enabled = true, live = null }: { enabled?: boolean; live?: ClusterHealth | null } = {},
): ClusterHealthState {
  const polling = enabled && live === null;
  const queryClient = useQueryClient();
  const key = healthKeys.cluster(clusterId);
  // Kept as the query's data too: when the stream stops, the last tick's reading stays until the
  // GET brings a newer one, instead of an older GET's.
  useEffect(() => {
    if (!live) return;
    queryClient.setQueryData<ClusterHealth>(
      healthKeys.cluster(clusterId),
      (old) => newestHealth(old ?? null, live) ?? undefined,
    );
  }, [queryClient, clusterId, live]);
  const query = useQuery({
    queryKey: key,
    queryFn: () => api.get<ClusterHealth>(`/clusters/${encodeURIComponent(clusterId)}/health`),
    enabled: polling,
    staleTime: 0,
    refetchInterval: polling ? HEALTH_POLL_MS : false,
  });
  if (!enabled) return { health: null, error: null };
  return {
    health: newestHealth(query.data ?? null, live),
    error: polling && query.isError ? query.error : null,
  };
}

/** The live stream's health while the stream is current: open, its last read a success. */
export function liveHealth(
  stream: Pick<LiveStream, "tick" | "status" | "directorError">,
): ClusterHealth | null {
  if (stream.status !== "open" || stream.directorError) return null;
  return stream.tick?.health ?? null;
}

/** The later of two readings (by `at`); either may be missing. */
export function newestHealth(
  a: ClusterHealth | null,
  b: ClusterHealth | null,
): ClusterHealth | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b.at) >= Date.parse(a.at) ? b : a;
}
