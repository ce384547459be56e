// Reading a director for the live view: one script over SSH, its output turned into one tick per
// watcher. The director filters, counts and limits its connection table itself (one awk pass for
// every watcher's filter) and sends only that summary, so what crosses SSH does not grow with the
// table; without a usable summary the whole table comes over and is parsed here, on a worker.
// Counters alone are a few lines of ipvsadm output.
import { parseConnectionSummary, renderConnectionSummaryScript } from "@lvs-panel/lvs";
import type { SshPool } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import { readSection, renderReadScript, splitReadOutput } from "../apply/read-script.ts";
import {
  type ClusterHealthService,
  type DirectorObservation,
  KEEPALIVED_PID_READ,
} from "../health/cluster-health.ts";
import type { TargetResolver } from "../host-targets.ts";
import { createTickBuilder, type TickBuilderOptions } from "./tick-builder.ts";
import { buildTicks, buildTicksFromSummary, type LiveFilter, type LiveTick } from "./view.ts";

const READS = [
  { id: "conn", argv: ["cat", "/proc/net/ip_vs_conn"] },
  { id: "list", argv: ["ipvsadm", "-Ln"] },
  { id: "stats", argv: ["ipvsadm", "-Ln", "--stats", "--exact"] },
  { id: "rates", argv: ["ipvsadm", "-Ln", "--rate", "--exact"] },
  // Whether keepalived runs, for the health verdicts judged from `list`: builtins, no process.
  KEEPALIVED_PID_READ,
];
const COUNTER_READS = READS.filter((r) => r.id !== "conn");
/** The whole table, parsed here on a worker: only when the director cannot summarise it. */
const READ_SCRIPT = renderReadScript(READS);
const STATS_SCRIPT = renderReadScript(COUNTER_READS);

function summaryScript(filters: readonly LiveFilter[]): string {
  return renderReadScript([
    { id: "summary", shell: renderConnectionSummaryScript(filters) },
    ...COUNTER_READS,
  ]);
}

/** One read of a director: a tick per filter, and what the health verdicts are judged from. */
interface DirectorReadout {
  ticks: LiveTick[];
  /** How long the director took (the last script's, when the whole table had to follow). */
  readMs: number;
  observation: Pick<DirectorObservation, "list" | "pidText" | "hostId">;
}

export interface DirectorReaderDeps {
  db: Db;
  targets: TargetResolver;
  pool: SshPool;
  builder?: TickBuilderOptions | undefined;
  /** A pair's directors' last known VRRP state: the live view reads the MASTER's table. */
  health?: Partial<Pick<ClusterHealthService, "lastKnown">> | undefined;
}

export function createDirectorReader(deps: DirectorReaderDeps) {
  const builder = createTickBuilder(deps.builder);

  async function run(clusterId: string, script: string) {
    const directors = await deps.db.director.findMany({
      where: { clusterId },
      orderBy: { position: "asc" },
    });
    const master = deps.health
      ?.lastKnown?.(clusterId)
      ?.directors.find((d) => d.vrrp?.state === "MASTER")?.hostId;
    const director = directors.find((d) => d.hostId === master) ?? directors[0];
    if (!director) throw new Error("the cluster has no director");
    const runner = deps.pool.runner(await deps.targets.target(director.hostId));
    const started = performance.now();
    const result = await runner.run({ script }, { timeoutMs: 10_000 });
    return { stdout: result.stdout, readMs: performance.now() - started, hostId: director.hostId };
  }

  return {
    /**
     * A tick per filter. With `table` the connection table is read (its summary, or the whole
     * table when the director cannot summarise it); without, only the ipvsadm counters.
     */
    async read(clusterId: string, filters: LiveFilter[], table: boolean): Promise<DirectorReadout> {
      let reading = await run(clusterId, table ? summaryScript(filters) : STATS_SCRIPT);
      let ticks = table ? summaryTicks(reading.stdout, reading.readMs, filters) : undefined;
      if (table && !ticks) {
        // No usable summary (no awk on the director?): the whole table, parsed here.
        reading = await run(clusterId, READ_SCRIPT);
        ticks = await builder.build(reading.stdout, reading.readMs, filters);
      }
      ticks ??= counterTicks(reading.stdout, reading.readMs, filters);
      return {
        ticks,
        readMs: reading.readMs,
        observation: {
          hostId: reading.hostId,
          list: readSection(reading.stdout, "list"),
          pidText: readSection(reading.stdout, "keepalived-pid"),
        },
      };
    },
    close: () => builder.close(),
  };
}

/** Counters only (a few lines of ipvsadm output): parsed here, not on a tick worker. */
function counterTicks(stdout: string, readMs: number, filters: LiveFilter[]): LiveTick[] {
  const out = splitReadOutput(stdout);
  return buildTicks(
    {
      connections: null,
      format: "proc",
      list: out.get("list") ?? "",
      stats: out.get("stats") ?? "",
      rates: out.get("rates") ?? "",
      readMs,
    },
    filters,
  );
}

/** Ticks from the director's summary; undefined when it is missing or not whole. */
function summaryTicks(stdout: string, readMs: number, filters: LiveFilter[]) {
  const out = splitReadOutput(stdout);
  const text = out.get("summary");
  if (!text) return undefined;
  const summary = parseConnectionSummary(text, filters.length);
  if (summary.errors.length > 0) return undefined;
  return buildTicksFromSummary(
    summary,
    {
      list: out.get("list") ?? "",
      stats: out.get("stats") ?? "",
      rates: out.get("rates") ?? "",
      readMs,
    },
    filters,
  );
}
