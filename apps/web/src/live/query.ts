// The filters of the live view and the query string they become: the server filters and limits.

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

export interface LiveFilters {
  /** "TCP 192.168.77.100:80"; "" = all services. */
  service: string;
  /** "10.10.0.11:80"; "" = all. */
  realserver: string;
  state: string;
  /** Prefix of the client address. */
  client: string;
  templates: boolean;
  limit: number;
}

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
