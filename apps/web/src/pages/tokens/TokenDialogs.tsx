// Create a token (then show its secret, once) and revoke one.
import { type FormEvent, useState } from "react";
import { useCreateTokenMutation, useRevokeTokenMutation } from "../../api/tokens.ts";
import type { ApiToken, CreatedApiToken } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { CopyButton } from "../../components/CopyButton.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError, TextField } from "../../components/Field.tsx";
import { AlertIcon } from "../../components/icons.tsx";
import { collect, useFormErrors } from "../../forms/formErrors.ts";
import { capitalize } from "../../lib/format.ts";

const FIELDS = ["name"] as const;

export function CreateTokenDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateTokenMutation();
  const errors = useFormErrors(FIELDS);
  const [name, setName] = useState("");

  if (create.data) return <NewTokenDialog token={create.data} onClose={onClose} />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(collect({ name: name.trim() === "" ? "is required" : undefined }))) return;
    create.mutate({ name: name.trim() }, { onError: errors.showError });
  };

  return (
    <Dialog
      title="Create token"
      description="Name it after the script or job that will use it. It acts with your role."
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <TextField
          label="Name"
          name="name"
          autoFocus
          autoComplete="off"
          placeholder="ci-deploy"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.fields.name}
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" pending={create.isPending}>
            Create token
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function NewTokenDialog({ token, onClose }: { token: CreatedApiToken; onClose: () => void }) {
  const example = `curl -H "Authorization: Bearer ${token.token}" ${window.location.origin}/api/clusters`;
  return (
    <Dialog title={`Token “${token.name}” created`} onClose={onClose} size="lg">
      <div className="space-y-4">
        <p
          role="alert"
          className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900"
        >
          <AlertIcon className="mt-0.5 size-4 shrink-0 text-amber-600" />
          Copy it now — it will not be shown again
        </p>
        <div>
          <label htmlFor="new-token" className="mb-1.5 block text-sm font-medium text-slate-700">
            API token
          </label>
          <div className="flex gap-2">
            <input
              id="new-token"
              readOnly
              value={token.token}
              onFocus={(e) => e.target.select()}
              className="block h-9 w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 font-mono text-xs text-slate-900 focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-500"
            />
            <CopyButton text={token.token} label="Copy token" />
          </div>
        </div>
        <div>
          <div className="mb-1.5 flex items-center justify-between gap-2">
            <p className="text-sm font-medium text-slate-700">Example</p>
            <CopyButton text={example} label="Copy example" />
          </div>
          <pre className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all text-slate-100">
            <code>{example}</code>
          </pre>
        </div>
      </div>
      <DialogActions>
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function RevokeTokenDialog({ token, onClose }: { token: ApiToken; onClose: () => void }) {
  const revoke = useRevokeTokenMutation();
  return (
    <ConfirmDialog
      title={`Revoke token “${token.name}”?`}
      confirmLabel="Revoke token"
      pending={revoke.isPending}
      error={revoke.error ? capitalize(revoke.error.message) : null}
      onCancel={onClose}
      onConfirm={() => revoke.mutate(token.id, { onSuccess: onClose })}
    >
      <p>
        Scripts using the token starting <code className="font-mono">{token.prefix}</code> get 401
        from now on. This cannot be undone; create a new token to replace it.
      </p>
    </ConfirmDialog>
  );
}
