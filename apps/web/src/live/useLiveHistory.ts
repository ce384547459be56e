// Chart data: the server's recent history (fetched again on resume, to fill the pause), each
// new tick appended, trimmed to the last 15 minutes.
import { toHistoryPoint } from "@lvs-panel/contract";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { mergeHistory } from "./history.ts";
import type { HistoryPoint, LiveTick } from "./types.ts";

export const liveKeys = {
  history: (clusterId: string) => ["clusters", "detail", clusterId, "live", "history"] as const,
};

export function useLiveHistory(
  clusterId: string,
  tick: LiveTick | null,
  enabled: boolean,
): HistoryPoint[] {
  const [points, setPoints] = useState<HistoryPoint[]>([]);
  const seed = useQuery({
    queryKey: liveKeys.history(clusterId),
    queryFn: () =>
      api.get<HistoryPoint[]>(`/clusters/${encodeURIComponent(clusterId)}/live/history`),
    enabled,
    staleTime: 0,
    refetchOnWindowFocus: false,
  });

  useEffect(() => {
    if (seed.data) setPoints((current) => mergeHistory(current, seed.data));
  }, [seed.data]);

  useEffect(() => {
    if (tick) setPoints((current) => mergeHistory(current, [toHistoryPoint(tick)]));
  }, [tick]);

  return points;
}
