// What the signed-in user may do, derived from their role. The API enforces the same rules
// (plugins/auth.ts requiredRole); the UI only hides what would be refused anyway.
import { useAuthStatusQuery } from "./auth.ts";
import type { Role } from "./types.ts";

export interface Permissions {
  /** Change clusters, hosts and services; plan and apply. */
  edit: boolean;
  /** Add, change and delete users. */
  manageUsers: boolean;
}

/** The tooltip on controls a viewer cannot use. */
export const READ_ONLY_HINT = "Read-only: viewer role";

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Unknown roles get the least rights, like the API. */
export function permissionsFor(role: string | null | undefined): Permissions {
  const rank = role && role in RANK ? RANK[role as Role] : -1;
  return { edit: rank >= RANK.operator, manageUsers: rank >= RANK.admin };
}

export function usePermissions(): Permissions {
  const status = useAuthStatusQuery();
  return permissionsFor(status.data?.user?.role);
}
