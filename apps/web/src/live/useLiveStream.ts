// One EventSource per (cluster, query): a new query closes the old stream and opens another,
// pausing closes it. The last tick stays on screen through director errors and reconnects.
import { useEffect, useState } from "react";
import type { LiveDirectorError, LiveTick } from "./types.ts";

/** `open`: ticks arriving; `reconnecting`: the browser retries by itself; `closed`: it gave up. */
export type StreamStatus = "connecting" | "open" | "reconnecting" | "closed" | "paused";

export interface LiveStream {
  tick: LiveTick | null;
  directorError: LiveDirectorError | null;
  status: StreamStatus;
  /** Opens a fresh stream after the browser gave up (e.g. the server restarted). */
  reconnect: () => void;
}

export function useLiveStream(clusterId: string, query: string, enabled: boolean): LiveStream {
  const [tick, setTick] = useState<LiveTick | null>(null);
  const [directorError, setDirectorError] = useState<LiveDirectorError | null>(null);
  const [status, setStatus] = useState<StreamStatus>(enabled ? "connecting" : "paused");
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) {
      setStatus("paused");
      return;
    }
    void attempt; // a new attempt re-runs this effect
    setStatus("connecting");
    const source = new EventSource(`/api/clusters/${encodeURIComponent(clusterId)}/live?${query}`);
    source.addEventListener("open", () => setStatus("open"));
    source.addEventListener("tick", (event) => {
      const parsed = parseJson<LiveTick>(event);
      if (!parsed) return;
      setTick(parsed);
      setDirectorError(null);
      setStatus("open");
    });
    source.addEventListener("error", (event) => {
      // The server's `event: error` carries data; the browser's own connection errors do not.
      const parsed = parseJson<LiveDirectorError>(event);
      if (parsed) {
        setDirectorError(parsed);
        return;
      }
      setStatus(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    });
    return () => source.close();
  }, [clusterId, query, enabled, attempt]);

  return { tick, directorError, status, reconnect: () => setAttempt((n) => n + 1) };
}

function parseJson<T>(event: Event): T | null {
  if (!(event instanceof MessageEvent) || typeof event.data !== "string") return null;
  try {
    return JSON.parse(event.data) as T;
  } catch {
    return null;
  }
}
