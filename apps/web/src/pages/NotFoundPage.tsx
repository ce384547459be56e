// A readable "not found", for unknown routes and for resources the API says are gone.
import { Link } from "react-router";

export interface NotFoundPageProps {
  title?: string;
  message?: string;
  backTo?: { to: string; label: string };
}

export function NotFoundPage({
  title = "Page not found",
  message = "There is nothing at this address.",
  backTo = { to: "/clusters", label: "Go to clusters" },
}: NotFoundPageProps) {
  return (
    <div className="flex flex-col items-center py-20 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-500">{message}</p>
      <Link
        to={backTo.to}
        className="mt-6 rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        {backTo.label}
      </Link>
    </div>
  );
}
