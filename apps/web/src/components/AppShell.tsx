// The frame around every signed-in screen: product name, navigation, who is logged in.
import { NavLink, Outlet, useNavigate } from "react-router";
import { useLogoutMutation } from "../api/auth.ts";
import type { User } from "../api/types.ts";
import { Button } from "./Button.tsx";
import { Logo } from "./Logo.tsx";

const navItems = [
  { to: "/clusters", label: "Clusters" },
  { to: "/hosts", label: "Hosts" },
];

export function AppShell({ user }: { user: User }) {
  const logout = useLogoutMutation();
  const navigate = useNavigate();
  return (
    <div className="min-h-dvh bg-slate-50">
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4 sm:px-6">
          <NavLink to="/clusters" className="flex items-center gap-2 font-semibold text-slate-900">
            <Logo className="size-7" />
            <span>lvs-panel</span>
          </NavLink>
          <nav aria-label="Main" className="flex items-center gap-1">
            {navItems.map((item) => (
              <NavLink
                key={item.to}
                to={item.to}
                className={({ isActive }) =>
                  `rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${
                    isActive
                      ? "bg-slate-100 text-slate-900"
                      : "text-slate-600 hover:bg-slate-50 hover:text-slate-900"
                  }`
                }
              >
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <span className="hidden text-sm text-slate-600 sm:inline">
              <span className="font-medium text-slate-900">{user.username}</span>
              <span className="text-slate-400"> · {user.role}</span>
            </span>
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
