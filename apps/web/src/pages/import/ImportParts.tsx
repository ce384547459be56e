// The pieces both import dialogs share: the preview's loading and failure states, and the footer
// with the "Import N services" button.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ImportPreview } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Spinner } from "../../components/Spinner.tsx";
import { pluralize } from "../../lib/format.ts";
import { FailurePanel } from "../cluster/apply/FailurePanel.tsx";
import { ImportPreviewView } from "./ImportPreviewView.tsx";
import type { ImportChoice } from "./useImportChoice.ts";

export function PreviewState({
  query,
  asked,
  choice,
}: {
  query: UseQueryResult<ImportPreview>;
  /** Whether the director was asked at all. */
  asked: boolean;
  choice: ImportChoice;
}) {
  if (!asked) return null;
  if (query.isFetching) {
    return (
      <div
        role="status"
        className="flex items-center justify-center gap-3 rounded-lg border border-dashed border-slate-300 py-10 text-sm text-slate-500"
      >
        <Spinner />
        Reading the director's table over SSH…
      </div>
    );
  }
  if (query.isError) return <FailurePanel error={query.error} onRetry={() => query.refetch()} />;
  return query.data ? <ImportPreviewView preview={query.data} choice={choice} /> : null;
}

export function ImportFooter({
  form,
  count,
  disabled,
  pending,
  onCancel,
}: {
  /** The id of the form the Import button submits. */
  form: string;
  count: number;
  disabled: boolean;
  pending: boolean;
  onCancel: () => void;
}) {
  return (
    <>
      <Button onClick={onCancel}>Cancel</Button>
      <Button
        type="submit"
        form={form}
        variant="primary"
        disabled={disabled || count === 0}
        pending={pending}
      >
        Import {pluralize(count, "service")}
      </Button>
    </>
  );
}
