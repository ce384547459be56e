// The audit log: who changed what, newest first, optionally for one entity (a cluster, a user).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "./client.ts";
import type { AuditEntry, AuditQuery } from "./types.ts";

export const AUDIT_LIMIT = 200;

export const auditKeys = {
  all: ["audit"] as const,
  list: (entityId: string | null) => [...auditKeys.all, "list", { entityId }] as const,
};

export function useAuditQuery(entityId: string | null) {
  const query: AuditQuery = { limit: AUDIT_LIMIT, ...(entityId ? { entityId } : {}) };
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.entityId) params.set("entityId", query.entityId);
  return useQuery({
    queryKey: auditKeys.list(entityId),
    queryFn: () => api.get<AuditEntry[]>(`/audit?${params}`),
    placeholderData: keepPreviousData,
  });
}
