// The seam where the engine that owns a director's IPVS table plugs in: the panel itself through
// `ipvsadm` (ipvsadm-engine.ts) or keepalived (keepalived-engine.ts). An engine says how
// the table is read back from the director, what the director must have for it (the preflight),
// and how the desired table is rendered, checked on the host and loaded: as plan steps, which the
// apply runs, verifies and rolls back like every other step.
import type {
  ClusterSpec,
  ClusterState,
  KeepalivedStatus,
  ListedService,
  Plan,
  PlanOptions,
  ServiceSpec,
} from "@lvs-panel/lvs";
import type { Read } from "../read-script.ts";

export interface EngineTable {
  /** The table as the director listed it: every service, model or not (ownership keeps them). */
  listed: ListedService[];
  /** The services the model can hold. */
  services: ServiceSpec[];
  /** Listed services the model cannot hold, by ownership key, with why. */
  unmanageable: { key: string; reason: string }[];
  /** Lines or entries that could not be understood. */
  errors: string[];
  /** keepalived's pid and configuration, read by the keepalived engine. */
  keepalived?: KeepalivedStatus;
}

export interface DirectorEngine {
  readonly id: "ipvsadm" | "keepalived";
  /**
   * The table reaches its state some time after the load step returns (keepalived applies a
   * reload asynchronously): a read-back that differs is read again for a few seconds first.
   */
  readonly settles?: boolean;
  /** Shell checks run first on the director before an apply (may `exit` with a reason). */
  readonly preflight: string;
  /** The reads that give the director's live table; `thresholds`: also the realservers' limits. */
  tableReads(opts: { thresholds: boolean }): Read[];
  /** The live table from those reads' outputs (null: the read failed). */
  parseTable(outputs: ReadonlyMap<string, string | null>): EngineTable;
  /**
   * The steps from the current state to the desired spec: the hosts' side, and the engine's own
   * render, check and load of the table (for ipvsadm: edits fed to one `ipvsadm -R`, and
   * /etc/ipvsadm.rules for boot).
   */
  plan(current: ClusterState, desired: ClusterSpec, options?: PlanOptions): Plan;
  /** The steps that bring hosts from where they are back to a snapshot (a rollback). */
  restore(current: ClusterState, snapshot: ClusterState, options?: PlanOptions): Plan;
}
