// User accounts (admins only): list, add, change role or password, delete.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { auditKeys } from "./audit.ts";
import { api } from "./client.ts";
import type { UserAccount, UserInput, UserPatch } from "./types.ts";

export const userKeys = {
  all: ["users"] as const,
  list: () => [...userKeys.all, "list"] as const,
};

export function useUsersQuery() {
  return useQuery({
    queryKey: userKeys.list(),
    queryFn: () => api.get<UserAccount[]>("/users"),
  });
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  // Every change to a user is written to the audit log as well.
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: userKeys.all }),
      queryClient.invalidateQueries({ queryKey: auditKeys.all }),
    ]);
}

export function useCreateUserMutation() {
  const onSuccess = useInvalidateUsers();
  return useMutation({
    mutationFn: (input: UserInput) => api.post<UserAccount>("/users", input),
    onSuccess,
  });
}

export function useUpdateUserMutation() {
  const onSuccess = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, ...patch }: UserPatch & { id: string }) =>
      api.patch<UserAccount>(`/users/${encodeURIComponent(id)}`, patch),
    onSuccess,
  });
}

export function useDeleteUserMutation() {
  const onSuccess = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/users/${encodeURIComponent(id)}`),
    onSuccess,
  });
}
