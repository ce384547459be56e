// Services already running on the cluster's director, adopted into the cluster: a read of the
// director's table, the operator's pick, and the cluster page shows them once imported.
import { type FormEvent, useId, useState } from "react";
import { useImportPreviewQuery, useImportServicesMutation } from "../../api/imports.ts";
import type { Cluster } from "../../api/types.ts";
import { Dialog } from "../../components/Dialog.tsx";
import { FormError } from "../../components/Field.tsx";
import { ImportFooter, PreviewState } from "./ImportParts.tsx";
import { useImportChoice } from "./useImportChoice.ts";

export function ImportServicesDialog({
  cluster,
  hostId,
  onClose,
}: {
  cluster: Cluster;
  /** The cluster's director host, whose table is read. */
  hostId: string;
  onClose: () => void;
}) {
  const preview = useImportPreviewQuery(hostId);
  const choice = useImportChoice(preview.data);
  const importServices = useImportServicesMutation(cluster.id);
  const [error, setError] = useState<string | null>(null);
  const formId = useId();
  const engine = preview.data?.engine;
  // The API refuses this too; said before the operator picks anything.
  const mismatch =
    engine === undefined || engine === cluster.engine
      ? null
      : engine === "keepalived"
        ? "keepalived runs this director's table with a configuration of its own: import it into a cluster of the keepalived engine."
        : "The director's table is not run by keepalived: import it into a cluster of the ipvsadm engine, or switch this cluster's engine after the import.";

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    importServices.mutate(choice.chosen, {
      onSuccess: onClose,
      onError: (e) => setError(e.message),
    });
  };

  return (
    <Dialog
      title="Import services from the director"
      size="xl"
      description={`Services on ${cluster.director?.host.name ?? "the director"} that no cluster owns yet become ${cluster.name}'s, exactly as they run: the next plan has nothing to change for them.`}
      onClose={onClose}
      footer={
        <ImportFooter
          form={formId}
          count={choice.chosen.length}
          disabled={
            !preview.data || preview.isFetching || choice.blockers.length > 0 || mismatch !== null
          }
          pending={importServices.isPending}
          onCancel={onClose}
        />
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={error ?? mismatch} />
        <PreviewState query={preview} asked choice={choice} />
      </form>
    </Dialog>
  );
}
