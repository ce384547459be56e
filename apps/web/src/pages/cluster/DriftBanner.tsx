// Changes made on the director outside the panel, as the last drift check found them: adopt them
// into the cluster, or plan and apply to put the director back. Silent while nothing drifted.
import { useState } from "react";
import { useAdoptDriftMutation, useDriftQuery } from "../../api/drift.ts";
import type { Cluster } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { AlertIcon } from "../../components/icons.tsx";
import { capitalize, pluralize } from "../../lib/format.ts";

export function DriftBanner({ cluster, onUndo }: { cluster: Cluster; onUndo: () => void }) {
  const drift = useDriftQuery(cluster.id, cluster.director !== null);
  const adopt = useAdoptDriftMutation(cluster.id);
  const [confirming, setConfirming] = useState(false);
  const data = drift.data;
  if (!data || data.status === "none") return null;
  if (data.status === "unknown") {
    return data.reason ? (
      <p className="text-xs text-slate-500">Drift not checked: {data.reason}</p>
    ) : null;
  }
  return (
    <section
      aria-label="Drift"
      className="rounded-xl border border-amber-200 bg-amber-50 px-5 py-4 text-sm text-amber-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 items-start gap-3">
          <AlertIcon className="mt-0.5 size-5 shrink-0 text-amber-500" />
          <div className="min-w-0">
            <p className="font-semibold">{capitalize(data.summary)}</p>
            <p className="mt-0.5 text-amber-800">
              The director no longer matches what the panel last put there. Adopt the changes to
              keep them, or plan and apply to undo them.
            </p>
          </div>
        </div>
        <IfCanEdit>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" onClick={() => setConfirming(true)}>
              Adopt these changes
            </Button>
            <Button size="sm" onClick={onUndo}>
              Plan &amp; apply to undo
            </Button>
          </div>
        </IfCanEdit>
      </div>
      <ul
        aria-label="Changes outside the panel"
        className="mt-3 max-h-48 space-y-0.5 overflow-y-auto pl-8 text-amber-900"
      >
        {data.changes.map((c) => (
          <li key={`${c.service} ${c.kind} ${c.change}`}>
            <span className="font-mono">{c.service}</span>: {c.change}
          </li>
        ))}
      </ul>
      {confirming ? (
        <ConfirmDialog
          title="Adopt the changes made outside the panel?"
          confirmLabel="Adopt changes"
          pending={adopt.isPending}
          error={adopt.error?.message}
          onCancel={() => {
            adopt.reset();
            setConfirming(false);
          }}
          onConfirm={() => adopt.mutate(undefined, { onSuccess: () => setConfirming(false) })}
        >
          <p>
            The {pluralize(data.changes.length, "change")} become {cluster.name}'s desired state, so
            the next plan keeps {data.changes.length === 1 ? "it" : "them"} instead of undoing{" "}
            {data.changes.length === 1 ? "it" : "them"}.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
