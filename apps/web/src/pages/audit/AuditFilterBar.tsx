// The audit log's filters: a cluster (its own entries, its services' and realservers'), a user, a
// kind of action. They live in the URL, so a filtered log can be linked to.
import { useEffect, useId, useRef, useState } from "react";
import { useClustersQuery } from "../../api/clusters.ts";
import { SelectField, TextField } from "../../components/Field.tsx";

export const FILTER_KEYS = ["clusterId", "user", "action"] as const;
export type AuditFilterValues = Record<(typeof FILTER_KEYS)[number], string>;

/** Kinds of action first ("apply" is every apply.*), then the single actions worth singling out. */
const ACTIONS: [string, string][] = [
  ["apply", "Applies"],
  ["apply.start", "Started apply"],
  ["apply.finish", "Finished apply"],
  ["cluster", "Clusters and directors"],
  ["service", "Services"],
  ["realserver", "Realservers"],
  ["host", "Hosts"],
  ["user", "Users"],
  ["token", "API tokens"],
];

export function AuditFilterBar({
  filters,
  onChange,
  usernames,
}: {
  filters: AuditFilterValues;
  onChange: (filters: AuditFilterValues) => void;
  /** Usernames seen in the entries shown, offered as the user field's suggestions. */
  usernames: readonly string[];
}) {
  const clusters = useClustersQuery();
  const listId = useId();
  // The user field is typed: it narrows the log once the typing stops, not at every key.
  const [user, setUser] = useState(filters.user);
  const latest = useRef({ filters, onChange });
  latest.current = { filters, onChange };
  useEffect(() => setUser(filters.user), [filters.user]);
  useEffect(() => {
    if (user.trim() === filters.user) return;
    const timer = setTimeout(() => {
      const { filters: now, onChange: change } = latest.current;
      change({ ...now, user: user.trim() });
    }, 400);
    return () => clearTimeout(timer);
  }, [user, filters.user]);
  const set = (patch: Partial<AuditFilterValues>) => onChange({ ...filters, ...patch });
  const known = clusters.data ?? [];
  const any = Object.values(filters).some(Boolean);

  return (
    <search aria-label="Filter the audit log" className="mb-4 flex flex-wrap items-end gap-3">
      <SelectField
        label="Cluster"
        className="w-56"
        value={filters.clusterId}
        onChange={(e) => set({ clusterId: e.target.value })}
      >
        <option value="">All clusters</option>
        {filters.clusterId && !known.some((c) => c.id === filters.clusterId) ? (
          <option value={filters.clusterId}>{filters.clusterId}</option>
        ) : null}
        {known.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="User"
        className="w-44"
        placeholder="Any user"
        value={user}
        list={listId}
        autoComplete="off"
        spellCheck={false}
        maxLength={64}
        onChange={(e) => setUser(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") set({ user: user.trim() });
        }}
      />
      <datalist id={listId}>
        {usernames.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <SelectField
        label="Action"
        className="w-52"
        value={filters.action}
        onChange={(e) => set({ action: e.target.value })}
      >
        <option value="">All actions</option>
        {ACTIONS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      {any ? (
        <button
          type="button"
          onClick={() => {
            setUser("");
            onChange({ clusterId: "", user: "", action: "" });
          }}
          className="mb-2 rounded text-sm font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          Clear filters
        </button>
      ) : null}
    </search>
  );
}
