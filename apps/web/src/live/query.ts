// The filters of the live view and the query string they become: the server filters and limits.
import type { LiveQuery } from "@lvs-panel/contract";
import { clientFilterProblem } from "@lvs-panel/lvs";

export const LIMITS = [500, 1000, 5000] as const;

export const STATES = [
  "ESTABLISHED",
  "SYN_SENT",
  "SYN_RECV",
  "FIN_WAIT",
  "TIME_WAIT",
  "CLOSE",
  "CLOSE_WAIT",
  "LAST_ACK",
  "LISTEN",
  "SYNACK",
  "UDP",
  "ASSURED",
  "NONE",
] as const;

/**
 * The filter bar's state: the contract's live query (service "TCP 192.168.77.100:80", realserver
 * "10.10.0.11:80", state, client address prefix or client ip:port, limit) with every field set ("" = any) and
 * `templates` a boolean rather than its query-string text.
 */
export type LiveFilters = {
  [K in Exclude<keyof LiveQuery, "templates">]-?: NonNullable<LiveQuery[K]>;
} & { templates: boolean };

export const DEFAULT_FILTERS: LiveFilters = {
  service: "",
  realserver: "",
  state: "",
  client: "",
  templates: false,
  limit: 500,
};

/** Only what narrows the stream goes in the URL; `templates` and `limit` always do. */
export function liveQueryString(filters: LiveFilters): string {
  const params = new URLSearchParams();
  if (filters.service) params.set("service", filters.service);
  if (filters.realserver) params.set("realserver", filters.realserver);
  if (filters.state) params.set("state", filters.state);
  const client = filters.client.trim();
  if (client) params.set("client", client);
  params.set("templates", String(filters.templates));
  params.set("limit", String(filters.limit));
  return params.toString();
}

export function isFiltered(filters: LiveFilters): boolean {
  return Boolean(filters.service || filters.realserver || filters.state || filters.client.trim());
}

/** Why the client field holds no filter the server takes (shown next to it), or null. */
export function clientFilterError(filters: LiveFilters): string | null {
  const problem = clientFilterProblem(filters.client.trim());
  return problem ? `Client ${problem}` : null;
}
