// A realserver's weight, edited in place: Enter or leaving the field saves, Escape cancels. The
// save goes through the row's one update mutation, so the row shows it as pending.
import { weightSchema } from "@lvs-panel/lvs";
import { type KeyboardEvent, useId, useRef, useState } from "react";
import { isApiError } from "../../api/client.ts";
import { usePermissions } from "../../api/permissions.ts";
import type { RealServer } from "../../api/types.ts";
import { PencilIcon } from "../../components/icons.tsx";
import { parseNumber, validate } from "../../forms/formErrors.ts";

/** What the caller does once the saved weight is in, or the API refused it. */
export interface WeightSaveResult {
  onSuccess: () => void;
  onError: (error: Error) => void;
}

export function WeightCell({
  realserver: rs,
  endpoint,
  saving,
  save,
}: {
  realserver: RealServer;
  endpoint: string;
  /** A save of this row is running (this weight, or another of the row's controls). */
  saving: boolean;
  save: (weight: number, result: WeightSaveResult) => void;
}) {
  const canEdit = usePermissions().edit;
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  // Enter saves and then the field goes away; its blur must not save a second time.
  const done = useRef(false);

  const drainNote = rs.draining ? (
    <span className="ml-1 text-xs text-amber-700" title="Draining: 0 on the director">
      (0 while draining)
    </span>
  ) : null;

  if (!canEdit) {
    return (
      <>
        {rs.weight}
        {drainNote}
      </>
    );
  }

  const start = () => {
    done.current = false;
    setValue(String(rs.weight));
    setError(null);
    setEditing(true);
  };
  const cancel = () => {
    done.current = true;
    setEditing(false);
    setError(null);
  };
  const commit = () => {
    if (done.current || saving) return;
    const weight = parseNumber(value);
    const problem = validate(weightSchema, weight);
    if (problem) {
      setError(`Weight ${problem}`);
      return;
    }
    if (weight === rs.weight) {
      cancel();
      return;
    }
    save(weight as number, {
      onSuccess: () => {
        done.current = true;
        setEditing(false);
      },
      onError: (err) => {
        const field = isApiError(err) ? err.fields.weight : undefined;
        setError(field ? `Weight ${field}` : err.message);
      },
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      commit();
    } else if (event.key === "Escape") {
      event.preventDefault();
      cancel();
    }
  };

  if (!editing) {
    return (
      <>
        <button
          type="button"
          onClick={start}
          disabled={saving}
          aria-label={`Weight of ${endpoint}: ${rs.weight}. Edit`}
          title="Edit the weight"
          className="group inline-flex items-center gap-1 rounded px-1.5 py-0.5 -ml-1.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60 disabled:hover:bg-transparent"
        >
          {rs.weight}
          <PencilIcon className="size-3 text-slate-400 opacity-0 group-hover:opacity-100 group-focus-visible:opacity-100" />
        </button>
        {drainNote}
      </>
    );
  }
  return (
    <div className="min-w-24">
      <input
        // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to edit it
        autoFocus
        aria-label={`Weight of ${endpoint}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        inputMode="numeric"
        value={value}
        readOnly={saving}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={commit}
        onFocus={(e) => e.target.select()}
        className={`h-7 w-20 rounded-md border px-2 text-sm tabular-nums shadow-sm focus:outline-2 focus:outline-offset-0 ${
          error
            ? "border-red-400 focus:outline-red-500"
            : "border-slate-300 focus:outline-indigo-600"
        }`}
      />
      {error ? (
        <p id={errorId} role="alert" className="mt-1 max-w-48 text-xs text-red-600">
          {error}
        </p>
      ) : (
        <p className="sr-only">Enter saves, Escape cancels.</p>
      )}
    </div>
  );
}
