// Screens only admins may use: others get an explanation instead of an API error.
import type { ReactNode } from "react";
import { usePermissions } from "../api/permissions.ts";
import { EmptyState } from "./EmptyState.tsx";

export function AdminOnly({ children }: { children: ReactNode }) {
  if (usePermissions().manageUsers) return <>{children}</>;
  return (
    <EmptyState title="Admins only">
      Managing users needs the admin role. Ask an admin to change your role if you need it.
    </EmptyState>
  );
}
