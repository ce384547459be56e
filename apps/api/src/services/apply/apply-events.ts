// An apply's progress as events: kept in memory while it runs (replayed to every new listener,
// then live), and stored with the apply when it ends. A listener arriving later reads the store.
import { EventEmitter } from "node:events";
import type { ApplyEvent } from "@lvs-panel/contract";

export type { ApplyEvent, ApplyStage, ApplyStatus } from "@lvs-panel/contract";

export type EmitApplyEvent = (e: Omit<ApplyEvent, "seq" | "at">) => void;

export class ApplyChannel {
  readonly events: ApplyEvent[] = [];
  readonly #emitter = new EventEmitter();

  readonly emit: EmitApplyEvent = (e) => {
    const event: ApplyEvent = { seq: this.events.length, at: new Date().toISOString(), ...e };
    this.events.push(event);
    this.#emitter.emit("event", event);
  };

  end(): void {
    this.#emitter.emit("end");
  }

  /** Replays what happened so far, then follows; returns the unsubscribe. */
  subscribe(onEvent: (e: ApplyEvent) => void, onEnd: () => void): () => void {
    for (const e of this.events) onEvent(e);
    this.#emitter.on("event", onEvent);
    this.#emitter.once("end", onEnd);
    return () => {
      this.#emitter.off("event", onEvent);
      this.#emitter.off("end", onEnd);
    };
  }
}

/** The channels of running applies (and, for a minute, of those just finished), by apply id. */
export class ApplyChannels {
  readonly #live = new Map<string, ApplyChannel>();

  open(applyId: string): ApplyChannel {
    const channel = new ApplyChannel();
    this.#live.set(applyId, channel);
    return channel;
  }

  get(applyId: string): ApplyChannel | undefined {
    return this.#live.get(applyId);
  }

  /** Late subscribers read the stored log; keep the channel a little for those already listening. */
  retire(applyId: string): void {
    setTimeout(() => this.#live.delete(applyId), 60_000).unref();
  }
}
