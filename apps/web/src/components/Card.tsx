// A white panel; with a title it becomes a labelled region tests and screen readers can find.
import { type ReactNode, useId } from "react";

export interface CardProps {
  title?: ReactNode;
  /** Accessible name when the visible title is not plain text. */
  label?: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}

export function Card({ title, label, actions, children, className = "" }: CardProps) {
  const titleId = useId();
  return (
    <section
      aria-labelledby={title !== undefined && label === undefined ? titleId : undefined}
      aria-label={label}
      className={`rounded-xl border border-slate-200 bg-white shadow-sm ${className}`}
    >
      {title !== undefined || actions ? (
        <header className="flex min-h-14 flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-5 py-2.5">
          <h3 id={titleId} className="min-w-0 text-sm font-semibold text-slate-900">
            {title}
          </h3>
          {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}
