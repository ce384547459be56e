// The top of every screen: where you are, what it is, what you can do here.
import type { ReactNode } from "react";
import { Link } from "react-router";

export interface Crumb {
  label: string;
  to: string;
}

export interface PageHeaderProps {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  crumbs?: Crumb[];
  /** A short status beside the title (outside the heading, so its name stays the title). */
  meta?: ReactNode;
}

export function PageHeader({ title, description, actions, crumbs, meta }: PageHeaderProps) {
  return (
    <div className="mb-6">
      {crumbs && crumbs.length > 0 ? (
        <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
          <ol className="flex items-center gap-1.5">
            {crumbs.map((crumb, index) => (
              <li key={crumb.to} className="flex items-center gap-1.5">
                {index > 0 ? <span aria-hidden="true">/</span> : null}
                <Link
                  to={crumb.to}
                  className="inline-flex items-center gap-1 rounded hover:text-slate-800 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  {index === 0 ? <span aria-hidden="true">‹</span> : null}
                  {crumb.label}
                </Link>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
            {meta}
          </div>
          {description ? <div className="mt-1 text-sm text-slate-500">{description}</div> : null}
        </div>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
    </div>
  );
}
