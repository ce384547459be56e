// Beside a tool's raw error output: what it means and what to do, in plain words, when the
// output is one the panel recognises (toolErrorHints in @lvs-panel/lvs). Nothing otherwise.
import { toolErrorHints } from "@lvs-panel/lvs";

export function ToolHints({ output, className = "" }: { output: string; className?: string }) {
  const hints = toolErrorHints(output);
  if (hints.length === 0) return null;
  return (
    <ul
      aria-label="What this means"
      className={`space-y-1 rounded-md bg-white/80 px-3 py-2 text-sm text-slate-800 ring-1 ring-slate-900/10 ring-inset ${className}`}
    >
      {hints.map((hint) => (
        <li key={hint}>
          <span className="font-medium">Hint: </span>
          {hint}
        </li>
      ))}
    </ul>
  );
}
