// The link to the API's own documentation (/api/docs, served by the API: OpenAPI with an Authorize
// button for a token), opened beside the panel rather than in its place.
import type { ReactNode } from "react";

export const API_DOCS_PATH = "/api/docs";

export function ApiDocsLink({ className, children }: { className?: string; children: ReactNode }) {
  return (
    <a href={API_DOCS_PATH} target="_blank" rel="noopener" className={className}>
      {children}
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
