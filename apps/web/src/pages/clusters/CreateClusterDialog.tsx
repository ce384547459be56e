// New cluster: a name, an optional description and the engine that owns the director's table.
// Once saved, its page opens (where its director and services are set).
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { useCreateClusterMutation } from "../../api/clusters.ts";
import type { Engine } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError, SelectField, TextField } from "../../components/Field.tsx";
import { collect, useFormErrors } from "../../forms/formErrors.ts";
import { EngineOptions } from "../cluster/EngineDialog.tsx";
import { NEW_CLUSTER_ENGINE_HINT } from "../cluster/healthLabels.ts";

const FIELDS = ["name", "description", "engine"] as const;

export function CreateClusterDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateClusterMutation();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [engine, setEngine] = useState<Engine>("ipvsadm");
  const navigate = useNavigate();
  const checkFields = () => collect({ name: name.trim() === "" ? "is required" : undefined });
  const errors = useFormErrors(FIELDS, {
    values: { name, description, engine },
    validate: checkFields,
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(checkFields())) return;
    create.mutate(
      { name: name.trim(), description: description.trim(), engine },
      {
        // The next thing to do is on the cluster's own page: its director and services.
        onSuccess: (cluster) => {
          onClose();
          void navigate(`/clusters/${encodeURIComponent(cluster.id)}`);
        },
        onError: errors.showError,
      },
    );
  };

  return (
    <Dialog
      title="Create cluster"
      description="A cluster is one LVS director and the virtual services it balances."
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <TextField
          label="Name"
          name="name"
          autoFocus
          placeholder="web-frontend"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.fields.name}
        />
        <TextField
          label="Description"
          name="description"
          placeholder="Optional: what this cluster serves"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={errors.fields.description}
        />
        <SelectField
          label="Engine"
          name="engine"
          value={engine}
          onChange={(e) => setEngine(e.target.value as Engine)}
          hint={NEW_CLUSTER_ENGINE_HINT}
          error={errors.fields.engine}
        >
          <EngineOptions />
        </SelectField>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" pending={create.isPending}>
            Create cluster
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
