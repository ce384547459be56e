// What the live API sends: one `tick` per director read (server-sent events), and the history
// the server keeps while someone watches. The shapes are the contract's.
export type {
  HistoryPoint,
  LiveDirectorError,
  LiveRealserver,
  LiveRow,
  LiveService,
  LiveTick,
  LiveTotals,
} from "@lvs-panel/contract";

/** --stats keys: Conns, InPkts, OutPkts, InBytes, OutBytes; --rate keys: CPS, InPPS, OutPPS, InBPS, OutBPS. */
export type Counters = Record<string, number>;
