// Session: who is logged in, first-run setup, login and logout.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import type { AuthStatus, LoginInput, PasswordChange, SetupInput } from "./types.ts";

export const authKeys = {
  all: ["auth"] as const,
  status: () => [...authKeys.all, "status"] as const,
};

export function useAuthStatusQuery() {
  return useQuery({
    queryKey: authKeys.status(),
    queryFn: () => api.get<AuthStatus>("/auth/status"),
    staleTime: 60_000,
  });
}

export function useSetupMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetupInput) => api.post<unknown>("/auth/setup", input),
    onSuccess: () => queryClient.fetchQuery({ queryKey: authKeys.status(), staleTime: 0 }),
  });
}

export function useLoginMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => api.post<unknown>("/auth/login", input),
    onSuccess: () => queryClient.fetchQuery({ queryKey: authKeys.status(), staleTime: 0 }),
  });
}

export function useLogoutMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>("/auth/logout"),
    onSettled: () => {
      // Forget everything the previous session could see, then show the login page.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.all[0] });
      queryClient.setQueryData<AuthStatus>(authKeys.status(), { setupRequired: false, user: null });
    },
  });
}

/** Changes your own password; the API ends your other sessions and renews this one. */
export function useChangePasswordMutation() {
  return useMutation({
    mutationFn: (input: PasswordChange) => api.post<{ ok: true }>("/auth/password", input),
  });
}
