// Plan → review → apply, in one dialog: read the hosts and show the exact commands; on Apply,
// start the apply with the previewed plan's hash and follow it live. The dialog is named after
// what the plan does, and retitled once the apply starts ("Applying: Drain 10.10.0.11 in …").
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { applyKeys, usePlanQuery, useStartApplyMutation } from "../../../api/applies.ts";
import { api, isApiError } from "../../../api/client.ts";
import type { Apply, ApplyStatus, Plan } from "../../../api/types.ts";
import { Button } from "../../../components/Button.tsx";
import { Dialog } from "../../../components/Dialog.tsx";
import { CheckboxField } from "../../../components/Field.tsx";
import { PlayIcon, RefreshIcon } from "../../../components/icons.tsx";
import { Spinner } from "../../../components/Spinner.tsx";
import { pluralize } from "../../../lib/format.ts";
import { useCachedCluster } from "../useCachedCluster.ts";
import { ApplyProgressView } from "./ApplyProgressView.tsx";
import { FailurePanel } from "./FailurePanel.tsx";
import { PlanPreview } from "./PlanPreview.tsx";
import { planName } from "./planName.ts";
import { foreignServiceCount } from "./planOwnership.ts";

/** The status of the apply the progress view follows (and polls), without asking again. */
function useCachedApplyStatus(applyId: string | null): ApplyStatus | undefined {
  return useQuery({
    queryKey: applyKeys.detail(applyId ?? ""),
    queryFn: () => api.get<Apply>(`/applies/${encodeURIComponent(applyId ?? "")}`),
    enabled: false,
  }).data?.status;
}

/** The dialog's title: the plan's name, and once applied, how the apply is going or went. */
function dialogTitle(plan: Plan | undefined, applied: string | null, status?: ApplyStatus): string {
  if (applied !== null) return `${APPLY_WORDS[status ?? "running"]}: ${applied}`;
  if (!plan) return "Plan preview";
  if (plan.errors.length > 0) return "Plan preview: problems to fix first";
  if (plan.empty) return "Plan preview: nothing to apply";
  return `Plan preview: ${planName(plan.summary)}`;
}

const APPLY_WORDS: Record<ApplyStatus, string> = {
  running: "Applying",
  succeeded: "Applied",
  failed: "Apply failed",
  rolled_back: "Apply rolled back",
  interrupted: "Apply interrupted",
};

export function PlanDialog({ clusterId, onClose }: { clusterId: string; onClose: () => void }) {
  const [drain, setDrain] = useState(false);
  const [removeForeign, setRemoveForeign] = useState(false);
  const [applyId, setApplyId] = useState<string | null>(null);
  // The name of the plan being applied, kept as it was when Apply was pressed.
  const [applied, setApplied] = useState<string | null>(null);
  const plan = usePlanQuery(clusterId, { drain, removeForeign });
  const start = useStartApplyMutation(clusterId);
  const cluster = useCachedCluster(clusterId);
  const applyStatus = useCachedApplyStatus(applyId);
  // Kept while a re-plan runs, so the checkbox stays put (and keeps its count) in between.
  const [foreign, setForeign] = useState(0);
  const readForeign = plan.data && !plan.isFetching ? foreignServiceCount(plan.data.summary) : null;
  if (readForeign !== null && readForeign !== foreign) setForeign(readForeign);

  const replan = () => {
    start.reset();
    setApplyId(null);
    setApplied(null);
    void plan.refetch();
  };

  const data = plan.isFetching ? undefined : plan.data;
  const blocker = !data
    ? null
    : data.errors.length > 0
      ? "Fix the problems listed above, then plan again."
      : data.empty
        ? "Nothing to apply."
        : isApiError(start.error, 409)
          ? "Re-plan before applying."
          : null;

  const footer = applyId ? (
    <>
      <p className="min-w-0 flex-1 text-xs text-slate-500">
        The apply continues on the server if you close this.
      </p>
      <div className="flex shrink-0 items-center gap-2">
        <Link
          to={`/clusters/${encodeURIComponent(clusterId)}/applies/${encodeURIComponent(applyId)}`}
          className="rounded px-2 text-sm font-medium text-indigo-700 hover:text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          Open apply page
        </Link>
        <Button onClick={replan}>Plan again</Button>
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      </div>
    </>
  ) : (
    <>
      <p className="min-w-0 flex-1 text-xs text-slate-500">
        {blocker ??
          (plan.data ? (
            <>
              Plan <span className="font-mono">{plan.data.hash.slice(0, 8)}</span> — Apply runs
              exactly these commands, or refuses if the hosts changed.
            </>
          ) : null)}
      </p>
      <div className="flex shrink-0 items-center gap-2">
        <Button onClick={onClose}>Close</Button>
        {plan.isError ? null : (
          <Button icon={<RefreshIcon />} pending={plan.isFetching} onClick={replan}>
            Re-plan
          </Button>
        )}
        <Button
          variant="primary"
          icon={<PlayIcon />}
          disabled={!data || blocker !== null}
          pending={start.isPending}
          onClick={() => {
            if (!data) return;
            start.mutate(
              { planHash: data.hash, drain, removeForeign },
              {
                onSuccess: (result) => {
                  setApplyId(result.applyId);
                  setApplied(planName(data.summary));
                },
              },
            );
          }}
        >
          Apply
        </Button>
      </div>
    </>
  );

  return (
    <Dialog
      title={dialogTitle(data, applyId === null ? null : applied, applyStatus)}
      size="xl"
      description={
        applyId
          ? "Applying the reviewed plan to the hosts, phase by phase."
          : "What applying would change on each host, read from the hosts just now over SSH."
      }
      onClose={onClose}
      footer={footer}
    >
      {applyId ? (
        <ApplyProgressView applyId={applyId} clusterId={clusterId} />
      ) : (
        <div className="space-y-5">
          {plan.isError ? null : (
            <CheckboxField
              label="Drain realservers before removing them"
              hint="Sets their weight to 0 first, so new connections go elsewhere before they are taken out."
              checked={drain}
              disabled={plan.isFetching || start.isPending}
              onChange={(event) => setDrain(event.target.checked)}
            />
          )}
          {(foreign > 0 && !plan.isError) || removeForeign ? (
            <CheckboxField
              label={`Remove the ${pluralize(foreign, "service")} this cluster does not manage`}
              hint="No cluster of the panel owns them: they are left alone unless you take the director over, which deletes them from its IPVS table."
              checked={removeForeign}
              disabled={plan.isFetching || start.isPending}
              onChange={(event) => {
                start.reset();
                setRemoveForeign(event.target.checked);
              }}
            />
          ) : null}
          {start.isError ? <FailurePanel error={start.error} /> : null}
          {plan.isFetching ? (
            <div
              role="status"
              className="flex items-center justify-center gap-3 rounded-lg border border-dashed border-slate-300 py-14 text-sm text-slate-500"
            >
              <Spinner />
              Reading the current state of every host over SSH…
            </div>
          ) : plan.isError ? (
            <FailurePanel error={plan.error} onRetry={replan} />
          ) : data ? (
            <PlanPreview plan={data} cluster={cluster} />
          ) : null}
        </div>
      )}
    </Dialog>
  );
}
