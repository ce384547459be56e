// Change your own password: needs the current one; the API signs out your other sessions.
import { type FormEvent, useState } from "react";
import { useChangePasswordMutation } from "../../api/auth.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError, TextField } from "../../components/Field.tsx";
import { CheckCircleIcon } from "../../components/icons.tsx";
import { collect, useFormErrors } from "../../forms/formErrors.ts";
import { passwordError } from "../users/roles.ts";

const FIELDS = ["currentPassword", "newPassword"] as const;

export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const change = useChangePasswordMutation();
  const errors = useFormErrors(FIELDS);
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const ok = errors.check(
      collect({
        currentPassword: currentPassword === "" ? "is required" : undefined,
        newPassword:
          passwordError(newPassword, true) ??
          (newPassword === currentPassword ? "must differ from the current password" : undefined),
      }),
    );
    if (!ok) return;
    change.mutate({ currentPassword, newPassword }, { onError: errors.showError });
  };

  if (change.isSuccess) {
    return (
      <Dialog title="Change password" onClose={onClose}>
        <p role="status" className="flex items-start gap-2 text-sm text-slate-700">
          <CheckCircleIcon className="size-5 shrink-0 text-emerald-600" />
          Password changed. Any other sessions you had are signed out; this one stays signed in.
        </p>
        <DialogActions>
          <Button variant="primary" autoFocus onClick={onClose}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Change password"
      description="Your other sessions will be signed out. API tokens keep working."
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={currentPassword}
          onChange={(e) => {
            setCurrentPassword(e.target.value);
            errors.clearField("currentPassword");
          }}
          error={errors.fields.currentPassword}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          error={errors.fields.newPassword}
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" pending={change.isPending}>
            Change password
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
