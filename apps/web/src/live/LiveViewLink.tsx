// "Live view" in the cluster page's header: a link styled as a secondary button.
import { Link } from "react-router";

export function LiveViewLink({ clusterId }: { clusterId: string }) {
  return (
    <Link
      to={`/clusters/${encodeURIComponent(clusterId)}/live`}
      className="inline-flex h-9 shrink-0 items-center justify-center gap-2 rounded-md bg-white px-3.5 text-sm font-medium whitespace-nowrap text-slate-700 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      <svg
        className="size-4"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
      >
        <path d="M3 12h4l3-7 4 14 3-7h4" />
      </svg>
      Live view
    </Link>
  );
}
