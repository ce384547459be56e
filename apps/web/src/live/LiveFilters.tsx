// The connection table's filters. They go to the server (it filters a million entries once for
// every watcher), so each change reconnects the stream — debounced by the page.
import { formatEndpoint, liveServiceKey } from "@lvs-panel/lvs";
import type { Service } from "../api/types.ts";
import { CheckboxField, SelectField, TextField } from "../components/Field.tsx";
import { type LiveFilters as Filters, LIMITS, STATES } from "./query.ts";

export interface LiveFiltersProps {
  services: readonly Service[];
  /** States seen on the director, offered even when not in the usual list. */
  seenStates: readonly string[];
  filters: Filters;
  onChange: (filters: Filters) => void;
  /** Why the client text is no filter (query.ts clientFilterError), shown under the field. */
  clientError?: string | null;
}

export function LiveFilters({
  services,
  seenStates,
  filters,
  onChange,
  clientError = null,
}: LiveFiltersProps) {
  const realservers = realserverOptions(services, filters.service);
  const states = [
    ...STATES,
    ...seenStates.filter((s) => !(STATES as readonly string[]).includes(s)),
  ];
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });

  return (
    <div className="grid grid-cols-2 items-start gap-3 md:grid-cols-3 xl:grid-cols-[minmax(15rem,1.5fr)_minmax(10rem,1fr)_minmax(10.5rem,1fr)_minmax(9rem,1fr)_6.5rem]">
      <SelectField
        label="Service"
        value={filters.service}
        onChange={(e) => {
          const service = e.target.value;
          const keep = realserverOptions(services, service).includes(filters.realserver);
          set({ service, realserver: keep ? filters.realserver : "" });
        }}
      >
        <option value="">All services</option>
        {services.map((s) => {
          const key = liveServiceKey(s);
          return (
            <option key={s.id} value={key}>
              {key}
            </option>
          );
        })}
      </SelectField>
      <SelectField
        label="Realserver"
        value={filters.realserver}
        onChange={(e) => set({ realserver: e.target.value })}
      >
        <option value="">All realservers</option>
        {realservers.map((key) => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="State"
        value={filters.state}
        onChange={(e) => set({ state: e.target.value })}
      >
        <option value="">All states</option>
        {states.map((state) => (
          <option key={state} value={state}>
            {state}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Client"
        placeholder="192.168.77. or 192.168.77.5:43512"
        hint="Start of an address, or one client as ip:port ([v6]:port)"
        error={clientError ?? undefined}
        value={filters.client}
        spellCheck={false}
        autoComplete="off"
        maxLength={64}
        onChange={(e) => set({ client: e.target.value })}
      />
      <SelectField
        label="Limit"
        value={String(filters.limit)}
        onChange={(e) => set({ limit: Number(e.target.value) })}
      >
        {LIMITS.map((limit) => (
          <option key={limit} value={limit}>
            {limit.toLocaleString("en-US")}
          </option>
        ))}
      </SelectField>
      <CheckboxField
        label="Show persistence templates"
        checked={filters.templates}
        onChange={(e) => set({ templates: e.target.checked })}
        className="col-span-2 md:col-span-1 md:pt-8 xl:col-span-5 xl:pt-0"
      />
    </div>
  );
}

/** "rip:port" of the chosen service's realservers, or of every service when none is chosen. */
function realserverOptions(services: readonly Service[], serviceKey: string): string[] {
  const chosen = serviceKey ? services.filter((s) => liveServiceKey(s) === serviceKey) : services;
  const keys = chosen.flatMap((s) =>
    s.realservers.map((rs) => formatEndpoint(rs.address, rs.port)),
  );
  return [...new Set(keys)];
}
