// Applies in the database: started (with the plan previewed and the desired state they push),
// finished (status, error, the event log), read back as DTOs, and marked interrupted when the
// process died under them. Each change is audited in the same transaction.
import type { Db } from "../../plugins/db.ts";
import { recordAudit } from "../audit.ts";
import type { SessionUser } from "../auth-service.ts";
import { notFound } from "../errors.ts";
import { toApplyDto } from "./apply-dto.ts";
import type { ApplyChannels, ApplyEvent, ApplyStatus } from "./apply-events.ts";
import { type AppliedDesired, pendingHostsOf } from "./context.ts";
import type { PlanView } from "./plan-view.ts";

export function createApplyStore(db: Db, channels: ApplyChannels) {
  const withLiveEvents = <R extends { id: string }>(row: R) => channels.get(row.id)?.events;

  return {
    async begin(
      user: SessionUser,
      clusterId: string,
      view: PlanView,
      desired: AppliedDesired,
      owner: string,
    ): Promise<string> {
      return db.$transaction(async (tx) => {
        const created = await tx.apply.create({
          data: {
            clusterId,
            userId: user.id,
            status: "running",
            plan: JSON.stringify(view),
            desired: JSON.stringify(desired),
            owner,
            heartbeatAt: new Date(),
          },
        });
        await recordAudit(tx, user, "apply.start", { type: "cluster", id: clusterId }, null, {
          applyId: created.id,
          title: view.summary.title,
          summary: view.summary.lines,
          // A takeover of the director removes services the panel never owned: say which.
          ...(view.summary.foreignRemoved?.length
            ? { removeForeign: true, foreignRemoved: view.summary.foreignRemoved }
            : {}),
        });
        return created.id;
      });
    },

    /**
     * The hosts are done: recording the outcome must not fail silently or leave the apply
     * "running". One retry rides over a busy database; if that fails too, the error is thrown
     * and the apply is marked interrupted at the next start.
     */
    async finish(
      user: SessionUser,
      clusterId: string,
      applyId: string,
      outcome: { status: ApplyStatus; error: string | null; events: ApplyEvent[] },
    ): Promise<void> {
      const { status, error, events } = outcome;
      const record = () =>
        db.$transaction(async (tx) => {
          await tx.apply.update({
            where: { id: applyId },
            data: { status, error, log: JSON.stringify(events), finishedAt: new Date() },
          });
          await recordAudit(tx, user, "apply.finish", { type: "cluster", id: clusterId }, null, {
            applyId,
            status,
            error,
          });
        });
      await record().catch(async () => {
        await new Promise((r) => setTimeout(r, 500));
        await record();
      });
    },

    /**
     * An apply that was running when its process died cannot be resumed: say so, and the next
     * plan (which reads the hosts) shows exactly what differs. At start, `owner` (this instance,
     * restarted) marks its own; every heartbeat marks those whose owner stopped beating; on SQLite
     * (one process) `everything` marks them all at start.
     */
    async markInterrupted(
      dead: { everything: true } | { owner?: string; staleBefore: Date },
    ): Promise<number> {
      const where =
        "everything" in dead
          ? { status: "running" }
          : {
              status: "running",
              OR: [
                { heartbeatAt: { lt: dead.staleBefore } },
                { heartbeatAt: null },
                ...(dead.owner === undefined ? [] : [{ owner: dead.owner }]),
              ],
            };
      const marked = await db.apply.updateMany({
        where,
        data: {
          status: "interrupted",
          error: "the panel stopped during this apply",
          finishedAt: new Date(),
        },
      });
      return marked.count;
    },

    /** The running applies of this instance are alive (see markInterrupted). */
    async beat(applyIds: string[]): Promise<void> {
      if (applyIds.length === 0) return;
      await db.apply.updateMany({
        where: { id: { in: applyIds }, status: "running" },
        data: { heartbeatAt: new Date() },
      });
    },

    /** Stores a running apply's events so far, for other instances to stream (shared only). */
    async saveProgress(applyId: string, events: ApplyEvent[]): Promise<void> {
      // Never over the final log: `finish` sets the status in the same row.
      await db.apply.updateMany({
        where: { id: applyId, status: "running" },
        data: { log: JSON.stringify(events), heartbeatAt: new Date() },
      });
    },

    async get(applyId: string) {
      const row = await db.apply.findUnique({ where: { id: applyId }, include: { user: true } });
      if (!row) throw notFound("apply");
      return toApplyDto(row, withLiveEvents(row));
    },

    async history(clusterId: string, limit = 50) {
      const rows = await db.apply.findMany({
        where: { clusterId },
        orderBy: { startedAt: "desc" },
        take: limit,
        include: { user: true },
      });
      return rows.map((row) => toApplyDto(row, withLiveEvents(row)));
    },

    /** Steps the last successful apply left on realservers it could not reach, by host. */
    async pendingHostSteps(clusterId: string) {
      if (!(await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true } }))) {
        throw notFound("cluster");
      }
      const last = await db.apply.findFirst({
        where: { clusterId, status: "succeeded" },
        orderBy: { startedAt: "desc" },
        select: { id: true, desired: true },
      });
      const pending = last ? pendingHostsOf(last.desired) : {};
      return {
        applyId: last?.id ?? null,
        hosts: Object.entries(pending)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([address, p]) => ({
            address,
            hostId: p.hostId,
            hostName: p.hostName,
            reason: p.reason,
            since: p.since,
            steps: p.steps,
          })),
      };
    },
  };
}
