// A virtual service as the API takes it, how a PATCH combines with the stored one, and the
// columns it is stored in.
import type { FailureAction, HealthCheck, SorryServer } from "@lvs-panel/lvs";
import { type ServiceRow, storedHealth } from "../cluster-dto.ts";

export interface ServiceInput {
  protocol: string;
  vip: string;
  port: number;
  fwmark?: number | null | undefined;
  scheduler: string;
  schedulerFlags?: string[] | undefined;
  persistence?: number | null | undefined;
  persistenceNetmask?: string | null | undefined;
  forwarding: string;
  healthCheck?: HealthCheck | undefined;
  onFailure?: FailureAction | undefined;
  sorryServer?: SorryServer | null | undefined;
}

/**
 * The service a PATCH asks for: the patch's fields over the stored ones. Absent keeps a field and
 * null clears persistence or its netmask. A new scheduler drops the old one's flags unless the
 * patch gives flags. Clearing persistence keeps the netmask, which the domain then refuses
 * ("only applies with persistence"): a PATCH clears both or neither.
 */
export function mergeServicePatch(
  before: ServiceInput,
  patch: Partial<ServiceInput>,
): ServiceInput {
  const schedulerChanged = patch.scheduler !== undefined && patch.scheduler !== before.scheduler;
  return {
    protocol: patch.protocol ?? before.protocol,
    vip: patch.vip ?? before.vip,
    port: patch.port ?? before.port,
    fwmark: patch.fwmark !== undefined ? patch.fwmark : before.fwmark,
    scheduler: patch.scheduler ?? before.scheduler,
    schedulerFlags: patch.schedulerFlags ?? (schedulerChanged ? [] : (before.schedulerFlags ?? [])),
    persistence: patch.persistence !== undefined ? patch.persistence : before.persistence,
    persistenceNetmask:
      patch.persistenceNetmask !== undefined ? patch.persistenceNetmask : before.persistenceNetmask,
    forwarding: patch.forwarding ?? before.forwarding,
    // A check is replaced whole: its fields only make sense together (a path with an http type).
    healthCheck: patch.healthCheck ?? before.healthCheck,
    onFailure: patch.onFailure ?? before.onFailure,
    sorryServer: patch.sorryServer !== undefined ? patch.sorryServer : before.sorryServer,
  };
}

/** A stored service as the input that would create it. */
export function serviceInputOf(row: Omit<ServiceRow, "realservers">): ServiceInput {
  return {
    protocol: row.protocol,
    vip: row.vip,
    port: row.port,
    fwmark: row.fwmark > 0 ? row.fwmark : null,
    scheduler: row.scheduler,
    schedulerFlags: row.schedulerFlags ? row.schedulerFlags.split(",") : [],
    persistence: row.persistence,
    persistenceNetmask: row.persistenceNetmask,
    forwarding: row.forwarding,
    ...storedHealth(row),
  };
}

/** The columns of a validated service input. */
export function serviceColumns(input: ServiceInput) {
  return {
    protocol: input.protocol,
    vip: input.vip,
    port: input.port,
    fwmark: input.fwmark ?? 0,
    scheduler: input.scheduler,
    schedulerFlags: (input.schedulerFlags ?? []).join(","),
    persistence: input.persistence ?? null,
    persistenceNetmask: input.persistence ? (input.persistenceNetmask ?? null) : null,
    forwarding: input.forwarding,
    healthCheck: input.healthCheck ? JSON.stringify(input.healthCheck) : null,
    onFailure: input.onFailure ?? "quiesce",
    sorryServer: input.sorryServer ? JSON.stringify(input.sorryServer) : null,
  };
}
