// Builds live ticks on one worker thread (tick-worker.ts), so a large connection table never
// blocks the event loop that serves the API. Jobs from every cluster share the worker and run one
// at a time; a worker that dies fails its pending jobs and is replaced on the next one.
import { Worker } from "node:worker_threads";
import type { LiveFilter, LiveTick } from "./view.ts";

export interface TickJob {
  id: number;
  /** The read script's whole output (see renderReadScript). */
  stdout: string;
  readMs: number;
  filters: LiveFilter[];
}
export type TickResult = { id: number; ticks: LiveTick[] } | { id: number; error: string };

// The sources are TypeScript run through tsx: register its loader inside the worker, then load
// the worker module.
const WORKER_SOURCE = `
import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};
register();
await import(${JSON.stringify(new URL("./tick-worker.ts", import.meta.url).href)});
`;

export interface TickBuilder {
  build(stdout: string, readMs: number, filters: LiveFilter[]): Promise<LiveTick[]>;
  close(): Promise<void>;
}

export function createTickBuilder(): TickBuilder {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve(t: LiveTick[]): void; reject(e: Error): void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const start = (): Worker => {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.on("message", (result: TickResult) => {
      const p = pending.get(result.id);
      if (!p) return;
      pending.delete(result.id);
      if ("error" in result) p.reject(new Error(result.error));
      else p.resolve(result.ticks);
    });
    w.on("error", (err) => {
      if (worker === w) worker = undefined;
      failAll(err);
    });
    w.on("exit", (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`the live view's worker stopped (exit code ${code})`));
    });
    // Idle between ticks: do not keep the process alive for it.
    w.unref();
    return w;
  };

  return {
    build(stdout, readMs, filters) {
      worker ??= start();
      const id = nextId++;
      const result = new Promise<LiveTick[]>((resolve, reject) =>
        pending.set(id, { resolve, reject }),
      );
      worker.postMessage({ id, stdout, readMs, filters } satisfies TickJob);
      return result;
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}
