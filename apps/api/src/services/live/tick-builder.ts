// Builds live ticks on worker threads (tick-worker.ts), so a large connection table never blocks
// the event loop that serves the API. A small pool (2 by default) takes jobs from one queue, so a
// slow job of one cluster holds one worker while the others' jobs go through the rest. A job that
// runs too long or too big kills its worker (the process lives on) and fails with a clear error;
// a worker that cannot even start is retried with backoff, not once per tick.
import { Worker } from "node:worker_threads";
import type { LiveFilter, LiveTick } from "./view.ts";

export interface TickJob {
  id: number;
  /** The read script's whole output (see renderReadScript). */
  stdout: string;
  readMs: number;
  filters: LiveFilter[];
}
type TickResult = { id: number; ticks: LiveTick[] } | { id: number; error: string };
/** What a worker posts: that it has loaded, then one result per job. */
export type WorkerMessage = { ready: true } | TickResult;

export interface TickBuilderOptions {
  /** Worker threads at most (started on demand). Default 2. */
  workers?: number;
  /** A job still running after this long has its worker stopped and fails. Default 10 s. */
  jobTimeoutMs?: number;
  /** A worker that has not loaded after this long is stopped (a failed start). Default 10 s. */
  startTimeoutMs?: number;
  /** Heap limit of each worker: a runaway job kills its worker, not the process. Default 1024. */
  maxMemoryMb?: number;
  /** Wait after a worker failed to start; doubles per failure in a row, up to 30 s. Default 1 s. */
  restartBackoffMs?: number;
}

export interface TickBuilder {
  build(stdout: string, readMs: number, filters: LiveFilter[]): Promise<LiveTick[]>;
  close(): Promise<void>;
}

// The sources are TypeScript run through tsx. When the process was started with tsx
// (`node --import tsx`, the tsx CLI) the worker inherits it in execArgv; Node versions that run
// --import in workers then already load .ts, and registering tsx again would stack a second
// loader. So: import directly in that case, and register only if .ts is still unknown (Node 20
// does not run --import in workers). A failed import is cached per URL, hence the retry's query.
const workerUrl = new URL("./tick-worker.ts", import.meta.url).href;
const tsxApi = import.meta.resolve("tsx/esm/api");
const tsxInherited = process.execArgv.some((arg) => arg.includes("tsx"));
const WORKER_SOURCE = `
const load = async () => {
  const { register } = await import(${JSON.stringify(tsxApi)});
  register();
  await import(${JSON.stringify(`${workerUrl}?tsx`)});
};
if (${tsxInherited}) {
  try {
    await import(${JSON.stringify(workerUrl)});
  } catch (err) {
    if (err?.code !== "ERR_UNKNOWN_FILE_EXTENSION") throw err;
    await load();
  }
} else await load();
`;

interface Job {
  message: TickJob;
  resolve(t: LiveTick[]): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  gone: boolean;
}

const MAX_BACKOFF_MS = 30_000;
const MIN_WORKER_MEMORY_MB = 4;

export function createTickBuilder(opts: TickBuilderOptions = {}): TickBuilder {
  const size = Math.max(1, opts.workers ?? 2);
  const jobTimeoutMs = opts.jobTimeoutMs ?? 10_000;
  const startTimeoutMs = opts.startTimeoutMs ?? 10_000;
  const maxMemoryMb = opts.maxMemoryMb ?? 1024;
  // Below a few MB, Node 24's V8 aborts the whole process while deserializing the worker's heap
  // ("Fatal JavaScript out of memory: GC during deserialization") instead of failing the worker.
  if (!(maxMemoryMb >= MIN_WORKER_MEMORY_MB)) {
    throw new RangeError(`maxMemoryMb must be at least ${MIN_WORKER_MEMORY_MB}`);
  }
  const backoffMs = opts.restartBackoffMs ?? 1000;

  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  let startFailures = 0;
  let retryAt = 0;
  let startError = "";

  const startBlocked = () => startFailures > 0 && Date.now() < retryAt;
  const blockedError = () =>
    new Error(
      `the live view's worker cannot start (${startError}); next attempt in ${Math.ceil((retryAt - Date.now()) / 1000)} s`,
    );

  /** Takes the slot out of the pool and fails its job; the caller says why. */
  function retire(slot: Slot, err: Error) {
    if (slot.gone) return;
    slot.gone = true;
    clearTimeout(slot.timer);
    slots.splice(slots.indexOf(slot), 1);
    if (!slot.ready) {
      startFailures++;
      startError = err.message;
      retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (startFailures - 1));
    }
    const job = slot.job;
    slot.job = undefined;
    job?.reject(err);
    dispatch();
  }

  function start(): Slot {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
    });
    const slot: Slot = { worker, ready: false, job: undefined, timer: undefined, gone: false };
    worker.on("message", (msg: WorkerMessage) => {
      if ("ready" in msg) {
        slot.ready = true;
        startFailures = 0;
        clearTimeout(slot.timer);
        if (slot.job) arm(slot);
        return;
      }
      const job = slot.job;
      if (!job || job.message.id !== msg.id) return;
      clearTimeout(slot.timer);
      slot.job = undefined;
      slot.worker.unref();
      if ("error" in msg) job.reject(new Error(msg.error));
      else job.resolve(msg.ticks);
      dispatch();
    });
    worker.on("error", (err: Error & { code?: string }) => {
      retire(
        slot,
        err.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new Error(
              `building the live view ran out of memory (worker limit ${maxMemoryMb} MB); its worker was stopped`,
            )
          : err,
      );
    });
    worker.on("exit", (code) => {
      retire(slot, new Error(`the live view's worker stopped (exit code ${code})`));
    });
    // Idle between ticks: do not keep the process alive for it (run() refs it while busy).
    worker.unref();
    slots.push(slot);
    arm(slot);
    return slot;
  }

  /** The job's clock starts once its worker has loaded; loading has its own limit (start). */
  function arm(slot: Slot) {
    clearTimeout(slot.timer);
    const ms = slot.ready ? jobTimeoutMs : startTimeoutMs;
    slot.timer = setTimeout(() => {
      const what = slot.ready
        ? `building the live view took longer than ${ms / 1000} s`
        : `the live view's worker did not start within ${ms / 1000} s`;
      retire(slot, new Error(`${what}; its worker was stopped`));
      void slot.worker.terminate();
    }, ms);
    slot.timer.unref();
  }

  function run(slot: Slot, job: Job) {
    slot.job = job;
    slot.worker.ref(); // a job is awaited: keep the process up until it ends
    if (slot.ready) arm(slot);
    slot.worker.postMessage(job.message);
  }

  /** Hands queued jobs to idle workers, starting workers up to the pool size. */
  function dispatch() {
    if (closed) return;
    while (queue.length > 0) {
      let slot = slots.find((s) => !s.job);
      if (!slot) {
        if (slots.length >= size || startBlocked()) break;
        slot = start();
      }
      run(slot, queue.shift() as Job);
    }
    // Nobody left to run them until the backoff ends: fail them now rather than let them wait.
    if (slots.length === 0 && startBlocked()) {
      for (const job of queue.splice(0)) job.reject(blockedError());
    }
  }

  return {
    build(stdout, readMs, filters) {
      if (closed) return Promise.reject(new Error("the live view is closed"));
      if (slots.length === 0 && startBlocked()) return Promise.reject(blockedError());
      return new Promise<LiveTick[]>((resolve, reject) => {
        queue.push({ message: { id: nextId++, stdout, readMs, filters }, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      const err = new Error("the live view is closed");
      for (const job of queue.splice(0)) job.reject(err);
      const running = slots.splice(0);
      for (const slot of running) {
        slot.gone = true;
        clearTimeout(slot.timer);
        slot.job?.reject(err);
        slot.job = undefined;
      }
      await Promise.all(running.map((s) => s.worker.terminate()));
    },
  };
}
