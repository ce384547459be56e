// An apply once it has started: run it on the hosts, settle what the cluster owns, stream the end
// and record the outcome. Runs after the POST has answered 202; nothing here may throw unseen.
import type { Db } from "../../plugins/db.ts";
import type { SessionUser } from "../auth-service.ts";
import type { ApplyChannels } from "./apply-events.ts";
import { type ApplyRun, runApply } from "./apply-pipeline.ts";
import type { createApplyStore } from "./apply-store.ts";
import type { ClusterContext } from "./context.ts";
import { recordKnownTable, recordOutcome } from "./ownership.ts";

export async function runAndRecord(
  deps: {
    db: Db;
    store: ReturnType<typeof createApplyStore>;
    channels: ApplyChannels;
    log?: ((message: string) => void) | undefined;
    timeoutMs: number;
  },
  a: {
    user: SessionUser;
    clusterId: string;
    applyId: string;
    ctx: ClusterContext;
    run: ApplyRun;
    channel: ReturnType<ApplyChannels["open"]>;
    ownedBefore: readonly string[];
    /** The hosts are done (whatever the outcome). */
    onSettled: () => void;
    /** The outcome is known and about to be stored. */
    beforeFinish?: () => Promise<void>;
    /** Everything is done: the cluster may apply again. */
    onEnd: () => void;
  },
): Promise<void> {
  const { db, store, channels, log } = deps;
  const { user, clusterId, applyId, ctx, channel } = a;
  try {
    const { status, error } = await runApply(ctx, a.run, channel.emit, {
      timeoutMs: deps.timeoutMs,
    });
    a.onSettled();
    const directorHostId = ctx.director.hostId;
    try {
      await recordOutcome(db, clusterId, directorHostId, status, ctx.desired, a.ownedBefore);
      if (status === "succeeded") await recordKnownTable(db, clusterId, ctx.desired.services);
    } catch (err) {
      log?.(`apply ${applyId}: could not record what the cluster owns: ${(err as Error).message}`);
    }
    channel.emit({
      stage: "done",
      status: status === "succeeded" ? "ok" : "failed",
      message: status,
      outcome: status,
    });
    try {
      await a.beforeFinish?.();
      await store.finish(user, clusterId, applyId, { status, error, events: channel.events });
    } catch (err) {
      log?.(
        `apply ${applyId}: could not record its outcome (${status}): ${(err as Error).message}`,
      );
    } finally {
      channel.end();
      channels.retire(applyId);
    }
  } catch (err) {
    log?.(`apply ${applyId}: ${(err as Error).message}`);
  } finally {
    a.onEnd();
    void ctx.close();
  }
}
