// Routes: public first-run and login screens, everything else behind the auth gate.
import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { createQueryClient } from "./api/queryClient.ts";
import { RequireAuth } from "./components/RequireAuth.tsx";
import { LivePage } from "./live/LivePage.tsx";
import { ApplyPage } from "./pages/apply/ApplyPage.tsx";
import { AuditPage } from "./pages/audit/AuditPage.tsx";
import { ClusterPage } from "./pages/cluster/ClusterPage.tsx";
import { ClustersPage } from "./pages/clusters/ClustersPage.tsx";
import { HostsPage } from "./pages/hosts/HostsPage.tsx";
import { LoginPage } from "./pages/LoginPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { SetupPage } from "./pages/SetupPage.tsx";
import { TokensPage } from "./pages/tokens/TokensPage.tsx";
import { UsersPage } from "./pages/users/UsersPage.tsx";

const router = createBrowserRouter([
  { path: "/setup", element: <SetupPage /> },
  { path: "/login", element: <LoginPage /> },
  {
    path: "/",
    element: <RequireAuth />,
    children: [
      { index: true, element: <Navigate to="/clusters" replace /> },
      { path: "clusters", element: <ClustersPage /> },
      { path: "clusters/:id", element: <ClusterPage /> },
      { path: "clusters/:id/applies/:applyId", element: <ApplyPage /> },
      { path: "clusters/:id/live", element: <LivePage /> },
      { path: "hosts", element: <HostsPage /> },
      { path: "users", element: <UsersPage /> },
      { path: "tokens", element: <TokensPage /> },
      { path: "audit", element: <AuditPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
