// The apply's stages in order, each with its state, as a compact horizontal list.
import {
  CheckCircleIcon,
  CircleIcon,
  MinusCircleIcon,
  XCircleIcon,
} from "../../../components/icons.tsx";
import { Spinner } from "../../../components/Spinner.tsx";
import type { StageProgress, StageState } from "./applyProgress.ts";

const stateText: Record<StageState, string> = {
  pending: "not started",
  running: "in progress",
  ok: "done",
  failed: "failed",
  skipped: "nothing to do",
};

export function StageIcon({ state }: { state: StageState | "not-run" }) {
  switch (state) {
    case "running":
      return <Spinner className="size-4 text-indigo-500" />;
    case "ok":
      return <CheckCircleIcon className="size-4 text-emerald-600" />;
    case "failed":
      return <XCircleIcon className="size-4 text-red-600" />;
    case "skipped":
    case "not-run":
      return <MinusCircleIcon className="size-4 text-slate-400" />;
    default:
      return <CircleIcon className="size-4 text-slate-300" />;
  }
}

export function StageStrip({ stages }: { stages: StageProgress[] }) {
  return (
    <ol aria-label="Stages" className="flex flex-wrap items-center gap-x-1 gap-y-2 text-xs">
      {stages.map((s, index) => (
        <li key={s.stage} className="flex items-center gap-1">
          {index > 0 ? <span aria-hidden="true" className="mx-1 h-px w-4 bg-slate-300" /> : null}
          <span
            className={`inline-flex items-center gap-1.5 rounded-full px-2 py-1 font-medium ring-1 ring-inset ${
              s.state === "failed"
                ? "bg-red-50 text-red-700 ring-red-200"
                : s.state === "running"
                  ? "bg-indigo-50 text-indigo-700 ring-indigo-200"
                  : s.state === "ok"
                    ? "bg-white text-slate-700 ring-slate-200"
                    : "bg-white text-slate-400 ring-slate-200"
            }`}
          >
            <StageIcon state={s.state} />
            {s.label}
            <span className="sr-only">: {stateText[s.state]}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
