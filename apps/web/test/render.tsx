// Renders a piece of the SPA the way App.tsx does: the app's QueryClient, a router, and the app's
// stylesheet (Tailwind), so layout-dependent behaviour such as virtualisation is real.
import "../src/index.css";
import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { onTestFinished } from "vitest";
import { render } from "vitest-browser-react";
import { createQueryClient } from "../src/api/queryClient.ts";
import type { AuthStatus, Role } from "../src/api/types.ts";
import type { ApiReply } from "./fakeApi.ts";

export function renderInApp(ui: ReactNode) {
  const queryClient = createQueryClient();
  onTestFinished(() => queryClient.clear());
  return render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );
}

/** `GET /api/auth/status` for a signed-in user with this role. */
export function signedInAs(role: Role): ApiReply {
  const body: AuthStatus = {
    setupRequired: false,
    user: { id: `u-${role}`, username: role, role },
  };
  return { body };
}
