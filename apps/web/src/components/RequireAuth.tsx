// Gate for signed-in screens: first run goes to setup, no session goes to login (and comes back).
import { Navigate, useLocation } from "react-router";
import { useAuthStatusQuery } from "../api/auth.ts";
import { AppShell } from "./AppShell.tsx";
import { ErrorState } from "./ErrorState.tsx";
import { LoadingState } from "./Spinner.tsx";

export function RequireAuth() {
  const status = useAuthStatusQuery();
  const location = useLocation();

  if (status.isPending) return <LoadingState />;
  if (status.isError) {
    return (
      <div className="mx-auto max-w-lg px-4 py-16">
        <ErrorState error={status.error} onRetry={() => status.refetch()} />
      </div>
    );
  }
  if (status.data.setupRequired) return <Navigate to="/setup" replace />;
  if (!status.data.user) {
    const next = `${location.pathname}${location.search}`;
    const search = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/login${search}`} replace />;
  }
  return <AppShell user={status.data.user} />;
}

/** Only same-site paths, so a crafted link cannot send the user elsewhere after login. */
export function safeNextPath(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/clusters";
}
