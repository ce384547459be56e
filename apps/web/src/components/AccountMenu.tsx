// The signed-in user in the header: who and which role, and a menu with "Change password".
import { useEffect, useId, useRef, useState } from "react";
import type { User } from "../api/types.ts";
import { ChangePasswordDialog } from "../pages/account/ChangePasswordDialog.tsx";
import { roleLabel } from "../pages/users/roles.ts";

export function AccountMenu({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  const [changing, setChanging] = useState(false);
  const menuId = useId();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        className="flex h-8 items-center gap-2 rounded-md px-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        <span className="sr-only">Account: </span>
        <span
          aria-hidden="true"
          className="flex size-6 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700 uppercase"
        >
          {user.username.charAt(0)}
        </span>
        <span className="hidden text-left leading-tight lg:block">
          <span className="block font-medium text-slate-900">{user.username}</span>
        </span>
        <span className="hidden text-xs text-slate-500 lg:inline">{roleLabel(user.role)}</span>
        <svg
          aria-hidden="true"
          viewBox="0 0 20 20"
          className="size-4 text-slate-400"
          fill="currentColor"
        >
          <path d="M5.5 7.5 10 12l4.5-4.5z" />
        </svg>
      </button>
      {open ? (
        <div
          id={menuId}
          className="absolute right-0 z-30 mt-1 w-56 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-900/10"
        >
          <p className="border-b border-slate-100 px-3 pt-1.5 pb-2 text-xs text-slate-500">
            Signed in as <span className="font-medium text-slate-900">{user.username}</span>
            <br />
            {roleLabel(user.role)}
            {user.role === "viewer" ? " · read-only" : ""}
          </p>
          <button
            type="button"
            onClick={() => {
              setOpen(false);
              setChanging(true);
            }}
            className="mt-1 block w-full rounded-md px-3 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none"
          >
            Change password
          </button>
        </div>
      ) : null}
      {changing ? <ChangePasswordDialog onClose={() => setChanging(false)} /> : null}
    </div>
  );
}
