// The live view: one `tick` per director read (server-sent events), and the counters' history.
import { clientFilterProblem } from "@lvs-panel/lvs";
import { z } from "zod";
import { clusterHealthSchema } from "./health.ts";

export const liveRowSchema = z.object({
  protocol: z.string(),
  state: z.string(),
  /** Seconds until the kernel drops the entry. */
  expires: z.number(),
  client: z.string(),
  virtual: z.string(),
  realserver: z.string(),
  /** A persistence template (client → realserver affinity), not a connection. */
  template: z.boolean(),
});

/** --stats keys: Conns, InPkts, OutPkts, InBytes, OutBytes; --rate keys: CPS, InPPS, … */
const countersSchema = z.record(z.string(), z.number());

export const liveRealserverSchema = z.object({
  key: z.string(),
  weight: z.number().optional(),
  activeConns: z.number().optional(),
  inactiveConns: z.number().optional(),
  stats: countersSchema,
  rates: countersSchema,
});

export const liveServiceSchema = liveRealserverSchema.omit({ weight: true }).extend({
  weight: z.number().optional(),
  realservers: z.array(liveRealserverSchema),
});

export const liveTotalsSchema = z.object({
  entries: z.number(),
  templates: z.number(),
  byState: z.record(z.string(), z.number()),
  /** "TCP vip:port" → entries, and by realserver "rip:port". */
  services: z.record(
    z.string(),
    z.object({ entries: z.number(), realservers: z.record(z.string(), z.number()) }),
  ),
});

export const liveTickSchema = z.object({
  at: z.string(),
  /** Milliseconds the director read took and the processing took. */
  readMs: z.number(),
  processMs: z.number(),
  /** Absent when the connection table was not read (a watcher asked for counters only). */
  totals: liveTotalsSchema.optional(),
  /** Entries matching the filter; absent when the table was not read. */
  matched: z.number().optional(),
  truncated: z.boolean(),
  rows: z.array(liveRowSchema),
  services: z.array(liveServiceSchema),
  parseErrors: z.number(),
  /** keepalived's verdict on every realserver, from this tick's table (keepalived engine). */
  health: clusterHealthSchema.optional(),
});

/** An `event: error`: the director could not be read this time; the stream stays open. */
export const liveDirectorErrorSchema = z.object({ message: z.string(), at: z.string() });

const historyCountersSchema = z.object({
  key: z.string(),
  activeConns: z.number().optional(),
  inactiveConns: z.number().optional(),
  rates: countersSchema,
});

export const historyPointSchema = z.object({
  at: z.string(),
  services: z.array(historyCountersSchema.extend({ realservers: z.array(historyCountersSchema) })),
});

// The director filters the table itself (an awk program): a filter is plain printable text, which
// awk receives exactly as written.
const plainFilter = (max: number) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .regex(/^[\x20-\x5b\x5d-\x7e]*$/, {
      message: "may hold only printable ASCII characters other than a backslash",
    });

export const liveQuerySchema = z.object({
  service: plainFilter(80).optional(),
  realserver: plainFilter(80).optional(),
  state: z
    .string()
    .max(20)
    .regex(/^[A-Z_]*$/, { message: "must be an IPVS state such as ESTABLISHED" })
    .optional(),
  client: plainFilter(64)
    .trim()
    .superRefine((text, ctx) => {
      const problem = clientFilterProblem(text);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional()
    .describe(
      'the start of a client address ("192.168.77.", "fd00:") or one client as address:port ("192.168.77.5:43512", "[fd00::5]:43512")',
    ),
  templates: z.enum(["true", "false"]).optional(),
  // 0: no connection rows. Without a filter, only ipvsadm's counters: when every watcher of a
  // cluster asks that (the cluster page), the connection table is not read and ticks carry no
  // `totals`/`matched`. With a filter, `matched` counts the table (which is then read).
  limit: z.coerce.number().int().min(0).max(5000).default(500),
});

export type LiveRow = z.infer<typeof liveRowSchema>;
export type LiveRealserver = z.infer<typeof liveRealserverSchema>;
export type LiveService = z.infer<typeof liveServiceSchema>;
export type LiveTotals = z.infer<typeof liveTotalsSchema>;
export type LiveTick = z.infer<typeof liveTickSchema>;
export type LiveDirectorError = z.infer<typeof liveDirectorErrorSchema>;
export type HistoryPoint = z.infer<typeof historyPointSchema>;
/** The live stream's query as the API reads it (`limit` defaulted and a number). */
export type LiveQuery = z.output<typeof liveQuerySchema>;
