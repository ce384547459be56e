// An apply's events across panel instances (docs/decisions/0008-several-instances.md): the
// instance running it stores the events so far at most every `intervalMs`, and another instance
// streams them to its browsers by reading the stored log until the apply ends.
import type { ApplyChannel, ApplyEvent, ApplyStatus } from "./apply-events.ts";

/** Saves the channel's events shortly after each one; `stop` waits for the last save. */
export function shareProgress(
  channel: ApplyChannel,
  save: (events: ApplyEvent[]) => Promise<void>,
  intervalMs: number,
  log?: (message: string) => void,
) {
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  let stopped = false;
  const flush = () => {
    timer = undefined;
    saving = saving
      .then(() => save([...channel.events]))
      .catch((err: unknown) => log?.(`could not share apply progress: ${(err as Error).message}`));
  };
  const unsubscribe = channel.subscribe(
    () => {
      if (!stopped && !timer) timer = setTimeout(flush, intervalMs);
    },
    () => undefined,
  );
  return {
    async stop(): Promise<void> {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      await saving;
    },
  };
}

/**
 * Follows an apply another instance runs: every `pollMs`, the events stored since the last read,
 * then `onEnd` once it is no longer running (its final log sent). Returns the unsubscribe.
 */
export function followStored(
  read: () => Promise<{ status: ApplyStatus; events: ApplyEvent[] }>,
  onEvent: (e: ApplyEvent) => void,
  onEnd: () => void,
  pollMs: number,
): () => void {
  let sent = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    if (stopped) return;
    let ended = false;
    try {
      const apply = await read();
      if (stopped) return;
      // Each stored log extends the previous one: send what is new.
      for (const e of apply.events.slice(sent)) onEvent(e);
      sent = Math.max(sent, apply.events.length);
      ended = apply.status !== "running";
    } catch {
      ended = true; // deleted with its cluster
    }
    if (ended) {
      stopped = true;
      onEnd();
    } else {
      timer = setTimeout(() => void poll(), pollMs);
    }
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
