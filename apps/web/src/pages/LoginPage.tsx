// Login: username and password; a bad pair shows the API's message.
import { type FormEvent, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { useAuthStatusQuery, useLoginMutation } from "../api/auth.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { Button } from "../components/Button.tsx";
import { FormError, TextField } from "../components/Field.tsx";
import { safeNextPath } from "../components/RequireAuth.tsx";
import { LoadingState } from "../components/Spinner.tsx";
import { collect, useFormErrors } from "../forms/formErrors.ts";
import { capitalize } from "../lib/format.ts";

const FIELDS = ["username", "password"] as const;

export function LoginPage() {
  const status = useAuthStatusQuery();
  const login = useLoginMutation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get("next"));
  const [username, setUsername] = useState("admin");
  const [password, setPassword] = useState("");
  const errors = useFormErrors(FIELDS);

  if (status.isPending) return <LoadingState />;
  if (status.data?.setupRequired) return <Navigate to="/setup" replace />;
  if (status.data?.user && !login.isPending) return <Navigate to={next} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const ok = errors.check(
      collect({
        username: username.trim() === "" ? "Enter your username" : undefined,
        password: password === "" ? "Enter your password" : undefined,
      }),
    );
    if (!ok) return;
    login.mutate(
      { username: username.trim(), password },
      { onSuccess: () => navigate(next, { replace: true }), onError: errors.showError },
    );
  };

  return (
    <AuthLayout title="Log in" description="Manage your LVS directors, services and realservers.">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form ? capitalize(errors.form) : null} />
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={errors.fields.username}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
        />
        <Button type="submit" variant="primary" className="w-full" pending={login.isPending}>
          Log in
        </Button>
      </form>
    </AuthLayout>
  );
}
