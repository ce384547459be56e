// Add a user; change a user's role or password; delete a user. Each in its own dialog.
import { type FormEvent, useState } from "react";
import type { Role, UserAccount } from "../../api/types.ts";
import {
  useCreateUserMutation,
  useDeleteUserMutation,
  useUpdateUserMutation,
} from "../../api/users.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError, SelectField, TextField } from "../../components/Field.tsx";
import { collect, useFormErrors } from "../../forms/formErrors.ts";
import { capitalize } from "../../lib/format.ts";
import { passwordError, ROLE_OPTIONS, usernameError } from "./roles.ts";

const FIELDS = ["username", "password", "role"] as const;

function RoleSelect({
  value,
  onChange,
  error,
}: {
  value: Role;
  onChange: (role: Role) => void;
  error: string | undefined;
}) {
  const selected = ROLE_OPTIONS.find((o) => o.value === value);
  return (
    <SelectField
      label="Role"
      name="role"
      value={value}
      onChange={(e) => onChange(e.target.value as Role)}
      hint={selected ? `${selected.label}s ${selected.description}.` : undefined}
      error={error}
    >
      {ROLE_OPTIONS.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </SelectField>
  );
}

export function AddUserDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateUserMutation();
  const errors = useFormErrors(FIELDS);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const ok = errors.check(
      collect({ username: usernameError(username), password: passwordError(password, true) }),
    );
    if (!ok) return;
    create.mutate(
      { username: username.trim(), password, role },
      { onSuccess: onClose, onError: errors.showError },
    );
  };

  return (
    <Dialog
      title="Add user"
      description="They sign in with this username and password; the role decides what they may change."
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <TextField
          label="Username"
          name="username"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          placeholder="alice"
          value={username}
          onChange={(e) => {
            setUsername(e.target.value);
            errors.clearField("username");
          }}
          error={errors.fields.username}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters. Share it with them privately; they can change it later."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
        />
        <RoleSelect value={role} onChange={setRole} error={errors.fields.role} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" pending={create.isPending}>
            Add user
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function EditUserDialog({ user, onClose }: { user: UserAccount; onClose: () => void }) {
  const update = useUpdateUserMutation();
  const errors = useFormErrors(FIELDS);
  const [role, setRole] = useState<Role>(user.role);
  const [password, setPassword] = useState("");

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(collect({ password: passwordError(password, false) }))) return;
    const patch: { id: string; role?: Role; password?: string } = { id: user.id };
    if (role !== user.role) patch.role = role;
    if (password !== "") patch.password = password;
    if (patch.role === undefined && patch.password === undefined) {
      onClose();
      return;
    }
    update.mutate(patch, { onSuccess: onClose, onError: errors.showError });
  };

  return (
    <Dialog
      title={`Edit user ${user.username}`}
      description="Saving signs them out everywhere; their API tokens keep working."
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <RoleSelect value={role} onChange={setRole} error={errors.fields.role} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          placeholder="Unchanged"
          hint="Leave empty to keep their password; or set a new one (at least 8 characters)."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
        />
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

export function DeleteUserDialog({ user, onClose }: { user: UserAccount; onClose: () => void }) {
  const remove = useDeleteUserMutation();
  return (
    <ConfirmDialog
      title={`Delete user “${user.username}”?`}
      confirmLabel="Delete user"
      pending={remove.isPending}
      error={remove.error ? capitalize(remove.error.message) : null}
      onCancel={onClose}
      onConfirm={() => remove.mutate(user.id, { onSuccess: onClose })}
    >
      <p>
        {user.username} can no longer sign in, and their API tokens stop working. What they changed
        stays in the audit log.
      </p>
    </ConfirmDialog>
  );
}
