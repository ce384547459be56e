// What a screen about one cluster shows until the cluster is there: loading, a 404 that says the
// cluster is gone (not an error to retry), or a failed load with a retry. The cluster page and
// the live view share it so both say the same.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { isApiError } from "../../api/client.ts";
import type { Cluster } from "../../api/types.ts";
import { ErrorState } from "../../components/ErrorState.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { NotFoundPage } from "../NotFoundPage.tsx";

export function ClusterGate({
  query,
  children,
}: {
  /** The screen's `useClusterQuery(id)`. */
  query: UseQueryResult<Cluster, Error>;
  /** The screen, once the cluster is loaded. */
  children: (cluster: Cluster) => ReactNode;
}) {
  if (query.isPending) return <LoadingState label="Loading cluster…" />;
  if (query.isError) {
    if (isApiError(query.error, 404)) {
      return (
        <NotFoundPage
          title="Cluster not found"
          message="It may have been deleted, or the link is wrong."
          backTo={{ to: "/clusters", label: "Back to clusters" }}
        />
      );
    }
    return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  }
  return children(query.data);
}
