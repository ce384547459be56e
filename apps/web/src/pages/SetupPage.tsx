// First run: the admin account exists once its password is chosen here.
import { type FormEvent, useState } from "react";
import { Navigate, useNavigate } from "react-router";
import { useAuthStatusQuery, useSetupMutation } from "../api/auth.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { Button } from "../components/Button.tsx";
import { FormError, TextField } from "../components/Field.tsx";
import { LoadingState } from "../components/Spinner.tsx";
import { collect, useFormErrors } from "../forms/formErrors.ts";

const FIELDS = ["password"] as const;
const MIN_PASSWORD = 8;

export function SetupPage() {
  const status = useAuthStatusQuery();
  const setup = useSetupMutation();
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const errors = useFormErrors(FIELDS);

  if (status.isPending) return <LoadingState />;
  if (status.data && !status.data.setupRequired && !setup.isPending) {
    return <Navigate to={status.data.user ? "/clusters" : "/login"} replace />;
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const ok = errors.check(
      collect({
        password:
          password.length < MIN_PASSWORD
            ? `must be at least ${MIN_PASSWORD} characters`
            : undefined,
      }),
    );
    if (!ok) return;
    setup.mutate(
      { password },
      { onSuccess: () => navigate("/clusters", { replace: true }), onError: errors.showError },
    );
  };

  return (
    <AuthLayout
      title="Create the admin password"
      description={
        <>
          This is a new installation. Choose the password for the <strong>admin</strong> account;
          you will be logged in right away.
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <input type="hidden" name="username" autoComplete="username" value="admin" readOnly />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          autoFocus
          minLength={MIN_PASSWORD}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint={`At least ${MIN_PASSWORD} characters.`}
          error={errors.fields.password}
        />
        <Button type="submit" variant="primary" className="w-full" pending={setup.isPending}>
          Create admin account
        </Button>
      </form>
    </AuthLayout>
  );
}
