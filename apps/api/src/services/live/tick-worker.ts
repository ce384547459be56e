// The live view's heavy lifting, on a worker thread: splitting a director's read output and
// building every watcher's tick takes about a second for a 1,000,000-entry table, and on the
// main thread that second would stall every API request (p99 945 ms at 500,000 entries).
import { parentPort } from "node:worker_threads";
import { splitReadOutput } from "../apply/read-script.ts";
import type { TickJob, WorkerMessage } from "./tick-builder.ts";
import { buildTicks } from "./view.ts";

const post = (message: WorkerMessage) => parentPort?.postMessage(message);

parentPort?.on("message", (job: TickJob) => {
  let result: WorkerMessage;
  try {
    const out = splitReadOutput(job.stdout);
    const conn = out.get("conn");
    if (conn === null || conn === undefined) {
      throw new Error("cannot read /proc/net/ip_vs_conn on the director (is IPVS loaded?)");
    }
    const reading = {
      connections: conn,
      format: "proc" as const,
      list: out.get("list") ?? "",
      stats: out.get("stats") ?? "",
      rates: out.get("rates") ?? "",
      readMs: job.readMs,
    };
    result = { id: job.id, ticks: buildTicks(reading, job.filters) };
  } catch (err) {
    result = { id: job.id, error: err instanceof Error ? err.message : String(err) };
  }
  post(result);
});

// Loaded: the builder counts a worker that dies before this as one that failed to start.
post({ ready: true });
