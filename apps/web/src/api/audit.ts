// The audit log: who changed what, newest first, narrowed to one entity (a cluster, a user), to
// what concerns one cluster, to one user's changes, or to one kind of action.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "./client.ts";
import type { AuditEntry, AuditQuery } from "./types.ts";

export const AUDIT_LIMIT = 200;

/** The filters the page can set; "" or absent means any. */
export type AuditFilters = Partial<Pick<AuditQuery, "entityId" | "clusterId" | "user" | "action">>;

export const auditKeys = {
  all: ["audit"] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, "list", filters] as const,
};

/** The query string of a list request: the limit, and each filter that is set. */
export function auditSearch(filters: AuditFilters): string {
  const params = new URLSearchParams({ limit: String(AUDIT_LIMIT) });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params.toString();
}

export function useAuditQuery(filters: AuditFilters) {
  const set = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as AuditFilters;
  return useQuery({
    queryKey: auditKeys.list(set),
    queryFn: () => api.get<AuditEntry[]>(`/audit?${auditSearch(set)}`),
    placeholderData: keepPreviousData,
  });
}
