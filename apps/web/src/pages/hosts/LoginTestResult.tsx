// What Test login found, one line per check, in the API's words: passed, failed, or (for a
// tool the host does not need yet) missing but optional.
import type { HostLoginTest } from "../../api/types.ts";
import { CheckCircleIcon, MinusCircleIcon, XCircleIcon } from "../../components/icons.tsx";

export function LoginTestResult({ result }: { result: HostLoginTest }) {
  return (
    <section aria-label="Test login result" className="space-y-3 text-sm">
      <p
        role="status"
        className={`rounded-lg px-3 py-2 font-medium ${
          result.ok
            ? "bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200"
            : "bg-red-50 text-red-800 ring-1 ring-red-200"
        }`}
      >
        {result.ok
          ? "Ready: the panel can log in and has what it needs here."
          : "Not ready: fix what is marked and test again."}
      </p>
      <p className="text-xs text-slate-500">Checked as {result.checkedAs}.</p>
      <ul className="space-y-1.5">
        {result.checks.map((check) => (
          <li key={check.id} className="flex gap-2">
            {check.ok ? (
              <CheckCircleIcon className="mt-0.5 size-4 shrink-0 text-emerald-600" />
            ) : check.required ? (
              <XCircleIcon className="mt-0.5 size-4 shrink-0 text-red-600" />
            ) : (
              <MinusCircleIcon className="mt-0.5 size-4 shrink-0 text-amber-500" />
            )}
            <span className={check.ok ? "text-slate-700" : "text-slate-900"}>
              <span className="sr-only">
                {check.ok ? "Passed: " : check.required ? "Failed: " : "Optional: "}
              </span>
              {check.message}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
