// Create a token (then show its secret, once) and revoke one. A new token may be read-only and
// may expire; by default it acts with its owner's role until revoked.
import { type FormEvent, useState } from "react";
import { useAuthStatusQuery } from "../../api/auth.ts";
import { useCreateTokenMutation, useRevokeTokenMutation } from "../../api/tokens.ts";
import type { ApiToken, ApiTokenCreate, CreatedApiToken } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { CopyButton } from "../../components/CopyButton.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError, SelectField, TextField } from "../../components/Field.tsx";
import { AlertIcon } from "../../components/icons.tsx";
import { collect, useFormErrors } from "../../forms/formErrors.ts";
import { capitalize, formatDateTime } from "../../lib/format.ts";

const FIELDS = ["name", "scope", "expiresInDays", "expiresAt"] as const;

/** Lifetimes offered, in days ("" never expires); the API also takes any date (`expiresAt`). */
const LIFETIMES: [string, string][] = [
  ["", "Never"],
  ["7", "In 7 days"],
  ["30", "In 30 days"],
  ["90", "In 90 days"],
  ["365", "In a year"],
];

export function CreateTokenDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateTokenMutation();
  const errors = useFormErrors(FIELDS);
  const role = useAuthStatusQuery().data?.user?.role;
  const [name, setName] = useState("");
  const [scope, setScope] = useState<NonNullable<ApiTokenCreate["scope"]>>("full");
  const [lifetime, setLifetime] = useState("");

  if (create.data) return <NewTokenDialog token={create.data} onClose={onClose} />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(collect({ name: name.trim() === "" ? "is required" : undefined }))) return;
    const input: ApiTokenCreate = {
      name: name.trim(),
      scope,
      ...(lifetime ? { expiresInDays: Number(lifetime) } : {}),
    };
    create.mutate(input, { onError: errors.showError });
  };

  return (
    <Dialog
      title="Create token"
      description="Name it after the script or job that will use it."
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
        <SelectField
          label="Access"
          name="scope"
          value={scope}
          onChange={(e) => setScope(e.target.value === "read" ? "read" : "full")}
          hint={
            scope === "read"
              ? "It may only read (GET); any change it attempts gets 403."
              : `It may do whatever you may${role ? ` (${role} role)` : ""}.`
          }
          error={errors.fields.scope}
        >
          <option value="full">Full — acts with your role</option>
          <option value="read">Read only</option>
        </SelectField>
        <SelectField
          label="Expires"
          name="expiresInDays"
          value={lifetime}
          onChange={(e) => setLifetime(e.target.value)}
          hint={
            lifetime
              ? "After that it gets 401, and a new token has to replace it."
              : "It works until you revoke it."
          }
          error={errors.fields.expiresInDays ?? errors.fields.expiresAt}
        >
          {LIFETIMES.map(([days, label]) => (
            <option key={days} value={days}>
              {label}
            </option>
          ))}
        </SelectField>
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
  const limits = [
    token.scope === "read" ? "read only" : null,
    token.expiresAt ? `expires ${formatDateTime(token.expiresAt)}` : null,
  ].filter(Boolean);
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
        {limits.length > 0 ? (
          <p className="text-sm text-slate-600">This token is {limits.join(", ")}.</p>
        ) : null}
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
