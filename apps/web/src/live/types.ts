// What the live API sends (apps/api/src/services/live): one `tick` per director read, and the
// history the server keeps while someone watches. Mirrored here; the SPA does not import the API.

export interface LiveRow {
  protocol: string;
  state: string;
  /** Seconds until the kernel drops the entry. */
  expires: number;
  client: string;
  virtual: string;
  realserver: string;
  /** A persistence template (client → realserver affinity), not a connection. */
  template: boolean;
}

/** --stats keys: Conns, InPkts, OutPkts, InBytes, OutBytes; --rate keys: CPS, InPPS, OutPPS, InBPS, OutBPS. */
export type Counters = Record<string, number>;

export interface LiveRealserver {
  key: string;
  weight?: number | undefined;
  activeConns?: number | undefined;
  inactiveConns?: number | undefined;
  stats: Counters;
  rates: Counters;
}

export interface LiveService extends Omit<LiveRealserver, "weight"> {
  realservers: LiveRealserver[];
}

export interface LiveTotals {
  entries: number;
  templates: number;
  byState: Record<string, number>;
  /** "TCP vip:port" → entries, and by realserver "rip:port". */
  services: Record<string, { entries: number; realservers: Record<string, number> }>;
}

export interface LiveTick {
  at: string;
  readMs: number;
  processMs: number;
  totals: LiveTotals;
  /** Entries matching the filter; `rows` holds at most `limit` of them. */
  matched: number;
  truncated: boolean;
  rows: LiveRow[];
  services: LiveService[];
  parseErrors: number;
}

/** An `event: error` — the director could not be read this time; the stream stays open. */
export interface LiveDirectorError {
  message: string;
  at: string;
}

export interface HistoryCounters {
  key: string;
  activeConns?: number | undefined;
  inactiveConns?: number | undefined;
  rates: Counters;
}

export interface HistoryPoint {
  at: string;
  services: (HistoryCounters & { realservers: HistoryCounters[] })[];
}
