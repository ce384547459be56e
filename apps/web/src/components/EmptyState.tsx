// What to show where a list is empty: what this is for and what to do next.
import type { ReactNode } from "react";

export interface EmptyStateProps {
  title: string;
  children: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
  compact?: boolean;
}

export function EmptyState({ title, children, action, icon, compact = false }: EmptyStateProps) {
  return (
    <div
      className={`flex flex-col items-center rounded-xl border border-dashed border-slate-300 bg-white text-center ${
        compact ? "px-4 py-6" : "px-6 py-14"
      }`}
    >
      {icon ? <div className="mb-3 text-slate-400">{icon}</div> : null}
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <div className="mt-1 max-w-md text-sm text-slate-500">{children}</div>
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}
