// The frame around every signed-in screen: product name, navigation, who is logged in.
import { NavLink, Outlet, useNavigate } from "react-router";
import { useLogoutMutation } from "../api/auth.ts";
import { permissionsFor } from "../api/permissions.ts";
import type { User } from "../api/types.ts";
import { AccountMenu } from "./AccountMenu.tsx";
import { ApiDocsLink } from "./ApiDocsLink.tsx";
import { Button } from "./Button.tsx";
import { Logo } from "./Logo.tsx";

const navItems = [
  { to: "/clusters", label: "Clusters" },
  { to: "/hosts", label: "Hosts" },
  { to: "/tokens", label: "API tokens" },
  { to: "/audit", label: "Audit log" },
  { to: "/users", label: "Users", adminOnly: true },
];

const NAV_ITEM =
  "rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap transition-colors lg:px-3";

export function AppShell({ user }: { user: User }) {
  const logout = useLogoutMutation();
  const navigate = useNavigate();
  return (
    <div className="min-h-dvh bg-slate-50">
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 sm:px-6 lg:gap-6">
          <NavLink
            to="/clusters"
            className="flex shrink-0 items-center gap-2 font-semibold text-slate-900"
          >
            <Logo className="size-7" />
            <span className="hidden xl:inline">lvs-panel</span>
          </NavLink>
          <nav aria-label="Main" className="flex min-w-0 items-center gap-1 overflow-x-auto">
            {navItems
              .filter((item) => !item.adminOnly || permissionsFor(user.role).manageUsers)
              .map((item) => (
                <NavLink
                  key={item.to}
                  to={item.to}
                  className={({ isActive }) =>
                    `${NAV_ITEM} ${
                      isActive
                        ? "bg-slate-100 text-slate-900"
                        : "text-slate-600 hover:bg-slate-50 hover:text-slate-900"
                    }`
                  }
                >
                  {item.label}
                </NavLink>
              ))}
            <ApiDocsLink
              className={`${NAV_ITEM} text-slate-600 hover:bg-slate-50 hover:text-slate-900`}
            >
              API docs
            </ApiDocsLink>
          </nav>
          <div className="ml-auto flex shrink-0 items-center gap-2">
            <AccountMenu user={user} />
            <Button
              size="sm"
              pending={logout.isPending}
              onClick={() => logout.mutate(undefined, { onSettled: () => navigate("/login") })}
            >
              Log out
            </Button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        <Outlet />
      </main>
    </div>
  );
}
