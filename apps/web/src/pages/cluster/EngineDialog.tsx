// Change the cluster's engine. Like every change it is saved now and reaches the director at the
// next Plan & Apply, which is what the hint says.
import { ENGINES } from "@lvs-panel/lvs";
import { type FormEvent, useState } from "react";
import { useUpdateClusterMutation } from "../../api/clusters.ts";
import type { Engine } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError, SelectField } from "../../components/Field.tsx";
import { useFormErrors } from "../../forms/formErrors.ts";
import { ENGINE_HINT, ENGINE_LABELS } from "./healthLabels.ts";

const FIELDS = ["engine"] as const;

/** The engine select's options, the same in the create-cluster dialog. */
export function EngineOptions() {
  return ENGINES.map((engine) => (
    <option key={engine} value={engine}>
      {ENGINE_LABELS[engine]}
    </option>
  ));
}

export function EngineDialog({
  clusterId,
  engine: current,
  onClose,
}: {
  clusterId: string;
  engine: Engine;
  onClose: () => void;
}) {
  const update = useUpdateClusterMutation(clusterId);
  const errors = useFormErrors(FIELDS);
  const [engine, setEngine] = useState<Engine>(current);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    errors.reset();
    if (engine === current) {
      onClose();
      return;
    }
    update.mutate({ engine }, { onSuccess: onClose, onError: errors.showError });
  };

  return (
    <Dialog
      title="Change engine"
      description="Who owns the director's IPVS table: the panel (ipvsadm) or keepalived, which health-checks the realservers."
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <SelectField
          label="Engine"
          name="engine"
          autoFocus
          value={engine}
          onChange={(e) => setEngine(e.target.value as Engine)}
          hint={ENGINE_HINT}
          error={errors.fields.engine}
        >
          <EngineOptions />
        </SelectField>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" pending={update.isPending}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
