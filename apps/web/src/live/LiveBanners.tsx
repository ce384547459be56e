// Problems with the data on screen, above it: the director could not be read (the stream stays
// open and the last figures stay visible), or the browser lost the stream altogether.
import { Button } from "../components/Button.tsx";
import { AlertIcon } from "../components/icons.tsx";
import { formatClock } from "./format.ts";
import type { LiveStream } from "./useLiveStream.ts";

export function LiveBanners({ stream }: { stream: LiveStream }) {
  const { directorError, status } = stream;
  return (
    <>
      {directorError ? (
        <div
          role="alert"
          className="flex gap-3 rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          <AlertIcon className="mt-0.5 size-5 shrink-0 text-amber-600" />
          <div className="min-w-0">
            <p className="font-medium">
              Cannot read the director (at {formatClock(directorError.at)}) — still trying.
            </p>
            <p className="mt-0.5 break-words text-amber-800">{directorError.message}</p>
            {stream.tick ? (
              <p className="mt-1 text-xs text-amber-700">
                Showing the last reading, from {formatClock(stream.tick.at)}.
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
      {status === "closed" ? (
        <div
          role="alert"
          className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800"
        >
          <p>
            <span className="font-medium">The live stream stopped.</span> The server may have
            restarted, or your session ended.
          </p>
          <Button size="sm" onClick={stream.reconnect}>
            Reconnect
          </Button>
        </div>
      ) : null}
    </>
  );
}
