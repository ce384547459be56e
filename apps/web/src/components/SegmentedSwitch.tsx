// A segmented control of switches, exactly one of them on: each segment is a switch named
// "<label>: <option>" ("Forwarding: TUN"), on when it is the current value.
export interface SegmentOption<T extends string> {
  value: T;
  label: string;
  /** Why this option cannot be chosen now; the segment is disabled and says so as its tooltip. */
  disabledReason?: string | undefined;
}

export interface SegmentedSwitchProps<T extends string> {
  label: string;
  options: readonly SegmentOption<T>[];
  value: T;
  onChange: (value: T) => void;
  disabled?: boolean;
  describedBy?: string | undefined;
  /** Tooltip, e.g. why the control is disabled. */
  title?: string | undefined;
}

export function SegmentedSwitch<T extends string>({
  label,
  options,
  value,
  onChange,
  disabled = false,
  describedBy,
  title,
}: SegmentedSwitchProps<T>) {
  return (
    // A fieldset is a group; its name is the label (a <legend> would not sit in the flex row).
    <fieldset aria-label={label} title={title} className="inline-flex min-w-0 items-center gap-2">
      <span aria-hidden="true" className="text-xs font-medium text-slate-500">
        {label}
      </span>
      <span className="inline-flex h-7 items-center gap-0.5 rounded-full bg-slate-100 p-0.5 ring-1 ring-inset ring-slate-200">
        {options.map((option) => {
          const on = option.value === value;
          return (
            <button
              key={option.value}
              type="button"
              role="switch"
              aria-checked={on}
              aria-label={`${label}: ${option.label}`}
              aria-describedby={describedBy}
              disabled={disabled || option.disabledReason !== undefined}
              title={option.disabledReason}
              // One segment is always on: pressing it again changes nothing.
              onClick={() => {
                if (!on) onChange(option.value);
              }}
              className={`h-6 w-10 rounded-full text-center text-xs font-semibold transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed ${
                on
                  ? "bg-indigo-600 text-white shadow-sm"
                  : "text-slate-500 enabled:hover:text-slate-900 disabled:opacity-60"
              } ${disabled && on ? "opacity-60" : ""}`}
            >
              {option.label}
            </button>
          );
        })}
      </span>
    </fieldset>
  );
}
