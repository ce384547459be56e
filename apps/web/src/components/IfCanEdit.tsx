// Renders its children only for users who may change things (operators and admins); viewers
// see the `fallback` (nothing by default), so the read-only screens carry no dead buttons.
import type { ReactNode } from "react";
import { READ_ONLY_HINT, usePermissions } from "../api/permissions.ts";

export function IfCanEdit({
  children,
  fallback = null,
}: {
  children: ReactNode;
  fallback?: ReactNode;
}) {
  return <>{usePermissions().edit ? children : fallback}</>;
}

/** Where a viewer would have had the page's main actions: says why there are none. */
export function ReadOnlyBadge() {
  return (
    <span
      title={READ_ONLY_HINT}
      className="inline-flex h-8 items-center gap-1.5 rounded-md bg-slate-100 px-2.5 text-xs font-medium text-slate-600 ring-1 ring-inset ring-slate-200"
    >
      <svg
        className="size-3.5"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        aria-hidden="true"
      >
        <rect x="5" y="11" width="14" height="9" rx="1.5" />
        <path d="M8 11V8a4 4 0 0 1 8 0v3" />
      </svg>
      {READ_ONLY_HINT}
    </span>
  );
}
