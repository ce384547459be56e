// A realserver's health as keepalived judges it: Up, Down or Unknown, how long it has been so (the
// exact time as the tooltip), and, when it is not up, why. Plain text, not a live region: the
// whole table changing every tick would keep a screen reader talking.
import type { RealserverHealth } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { formatHeldFor, realserverStateLabel, sinceTitle } from "./healthLabels.ts";

/** What the health column knows about one realserver. */
export interface RealServerHealthView {
  /** Its verdict in the latest reading; undefined when the reading does not have it. */
  reading: RealserverHealth | undefined;
  /** When the latest reading was taken; null before the first. */
  at: string | null;
  /** Why the latest attempt to read health failed (the reading shown is then older). */
  error: string | null;
}

const TONES = { up: "green", down: "red", unknown: "neutral" } as const;

export function RealServerHealth({ view }: { view: RealServerHealthView }) {
  const { reading, at, error } = view;
  if (at === null) {
    if (!error) return <span className="text-xs text-slate-400">Checking…</span>;
    return <Verdict state="unknown" reason={`Health could not be read: ${error}`} />;
  }
  if (!reading) {
    return (
      <Verdict
        state="unknown"
        reason={error ? `Health could not be read: ${error}` : "Not in the latest reading yet"}
      />
    );
  }
  return (
    <Verdict
      state={reading.state}
      held={formatHeldFor(reading.since, at)}
      since={reading.since}
      reason={reading.state === "up" ? undefined : reading.lastError}
      liveWeight={reading.liveWeight}
      stale={error}
    />
  );
}

function Verdict({
  state,
  held = null,
  since = null,
  reason,
  liveWeight = null,
  stale = null,
}: {
  state: RealserverHealth["state"];
  held?: string | null;
  since?: string | null;
  reason?: string | undefined;
  liveWeight?: number | null;
  stale?: string | null;
}) {
  return (
    <div className="min-w-28 text-xs">
      <span className="inline-flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
        <span
          title={
            liveWeight === null
              ? "Not in the director's table"
              : `Weight ${liveWeight} on the director`
          }
        >
          <Badge tone={TONES[state]}>{realserverStateLabel(state)}</Badge>
        </span>
        {held ? (
          <span className="whitespace-nowrap text-slate-500" title={sinceTitle(since)}>
            {held}
          </span>
        ) : null}
      </span>
      {reason ? (
        <p className="mt-0.5 line-clamp-2 max-w-64 break-words text-slate-500" title={reason}>
          {reason}
        </p>
      ) : null}
      {stale ? (
        <p className="mt-0.5 line-clamp-2 max-w-64 font-medium text-amber-700" title={stale}>
          (stale: {stale})
        </p>
      ) : null}
    </div>
  );
}
