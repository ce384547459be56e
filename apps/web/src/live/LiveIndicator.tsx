// Whether the figures on screen are moving: a pulsing dot while ticks arrive.
import type { StreamStatus } from "./useLiveStream.ts";

const look: Record<StreamStatus, { text: string; dot: string; pulse: boolean }> = {
  open: { text: "Live", dot: "bg-emerald-500", pulse: true },
  connecting: { text: "Connecting…", dot: "bg-slate-400", pulse: false },
  reconnecting: { text: "Reconnecting…", dot: "bg-amber-500", pulse: true },
  closed: { text: "Disconnected", dot: "bg-red-500", pulse: false },
  paused: { text: "Paused", dot: "bg-slate-400", pulse: false },
};

export function LiveIndicator({
  status,
  directorDown,
}: {
  status: StreamStatus;
  /** The stream is up but the last director read failed. */
  directorDown: boolean;
}) {
  const { text, dot, pulse } =
    status === "open" && directorDown
      ? { text: "Director unreachable", dot: "bg-amber-500", pulse: false }
      : look[status];
  return (
    <span className="inline-flex items-center gap-2 rounded-full bg-white px-2.5 py-1 text-xs font-medium text-slate-700 ring-1 ring-slate-200 ring-inset">
      <span className="relative flex size-2">
        {pulse ? (
          <span
            aria-hidden="true"
            className={`absolute inline-flex size-full animate-ping rounded-full opacity-60 ${dot}`}
          />
        ) : null}
        <span aria-hidden="true" className={`relative inline-flex size-2 rounded-full ${dot}`} />
      </span>
      {text}
    </span>
  );
}
