// The app's QueryClient: no retries on 4xx, and any 401 drops the session so the auth gate
// sends the user to the login page.
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { authKeys } from "./auth.ts";
import { isApiError } from "./client.ts";
import type { AuthStatus } from "./types.ts";

export function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (!isApiError(error, 401)) return;
    queryClient.setQueryData<AuthStatus>(authKeys.status(), (old) => ({
      setupRequired: old?.setupRequired ?? false,
      user: null,
    }));
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: true,
        retry: (failureCount, error) =>
          !(isApiError(error) && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
