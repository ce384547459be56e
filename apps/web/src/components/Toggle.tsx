// A two-state switch whose accessible name carries the current state ("Forwarding: DR").
export interface ToggleProps {
  label: string;
  offLabel: string;
  onLabel: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  describedBy?: string | undefined;
  /** Tooltip, e.g. why the switch is disabled. */
  title?: string | undefined;
  /** Only in the accessible name, where a table header already says what the switch is. */
  labelHidden?: boolean;
}

export function Toggle({
  label,
  offLabel,
  onLabel,
  checked,
  onChange,
  disabled = false,
  describedBy,
  title,
  labelHidden = false,
}: ToggleProps) {
  const option = (text: string, active: boolean) => (
    <span
      className={`relative z-10 w-10 text-center text-xs font-semibold transition-colors ${
        active ? "text-white" : "text-slate-500"
      }`}
    >
      {text}
    </span>
  );
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={`${label}: ${checked ? onLabel : offLabel}`}
      aria-describedby={describedBy}
      disabled={disabled}
      title={title}
      onClick={() => onChange(!checked)}
      className="inline-flex items-center gap-2 rounded-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60"
    >
      {labelHidden ? null : <span className="text-xs font-medium text-slate-500">{label}</span>}
      <span className="relative inline-flex h-7 items-center rounded-full bg-slate-100 p-0.5 ring-1 ring-inset ring-slate-200">
        <span
          aria-hidden="true"
          className={`absolute top-0.5 left-0.5 h-6 w-10 rounded-full shadow-sm transition-transform duration-150 ${
            checked ? "translate-x-10 bg-indigo-600" : "translate-x-0 bg-slate-700"
          }`}
        />
        {option(offLabel, !checked)}
        {option(onLabel, checked)}
      </span>
    </button>
  );
}
