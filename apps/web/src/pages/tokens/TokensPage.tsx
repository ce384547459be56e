// API tokens for scripts and automation: create (the secret is shown once, read-only or full,
// expiring or not), list, revoke; and the way to the API's own documentation.
import { useState } from "react";
import { useAuthStatusQuery } from "../../api/auth.ts";
import { useTokensQuery } from "../../api/tokens.ts";
import type { ApiToken } from "../../api/types.ts";
import { ApiDocsLink } from "../../components/ApiDocsLink.tsx";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { KeyIcon, PlusIcon } from "../../components/icons.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { Table, type TableColumn } from "../../components/Table.tsx";
import { formatDateTime, formatRelative } from "../../lib/format.ts";
import { CreateTokenDialog, RevokeTokenDialog } from "./TokenDialogs.tsx";

export function TokensPage() {
  const tokens = useTokensQuery();
  const me = useAuthStatusQuery().data?.user;
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const hasTokens = (tokens.data?.length ?? 0) > 0;
  // Admins see everyone's tokens; say whose each one is only when that can differ.
  const showOwner = me?.role === "admin";
  const columns: TableColumn[] = [
    { header: "Name" },
    { header: "Token" },
    ...(showOwner ? [{ header: "Owner" }] : []),
    { header: "Access" },
    { header: "Created", className: "hidden md:table-cell" },
    { header: "Expires" },
    { header: "Last used" },
    { header: "Actions", headerHidden: true, align: "right" },
  ];

  const createButton = (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
      Create token
    </Button>
  );

  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            For scripts and automation: send{" "}
            <code className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-700">
              Authorization: Bearer &lt;token&gt;
            </code>
            . A token acts with its owner's role, or only reads if it is read-only, until it is
            revoked or expires. Every route is described in the{" "}
            <ApiDocsLink className="font-medium text-indigo-700 underline-offset-2 hover:underline">
              API docs
            </ApiDocsLink>
            , where Authorize takes a token to try them.
          </>
        }
        actions={hasTokens ? createButton : undefined}
      />
      {tokens.isPending ? (
        <LoadingState label="Loading tokens…" />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : !hasTokens ? (
        <EmptyState
          icon={<KeyIcon className="size-10" />}
          title="No API tokens yet"
          action={createButton}
        >
          Create a token for each script or CI job that calls the API, so you can revoke one without
          breaking the others.
        </EmptyState>
      ) : (
        <Table columns={columns}>
          {tokens.data.map((token) => (
            <tr key={token.id} className={token.revokedAt ? "text-slate-400" : ""}>
              <td className="px-5 py-3">
                <span
                  className={`font-medium ${token.revokedAt ? "text-slate-500 line-through" : "text-slate-900"}`}
                >
                  {token.name}
                </span>
              </td>
              <td className="px-3 py-3 font-mono text-xs text-slate-600">{token.prefix}…</td>
              {showOwner ? <td className="px-3 py-3 text-slate-700">{token.username}</td> : null}
              <td className="px-3 py-3">
                {token.scope === "read" ? (
                  <Badge tone="indigo">Read only</Badge>
                ) : (
                  <Badge>Full</Badge>
                )}
              </td>
              <td
                className="hidden px-3 py-3 text-slate-600 md:table-cell"
                title={formatDateTime(token.createdAt)}
              >
                {formatRelative(token.createdAt)}
              </td>
              <td
                className="px-3 py-3 text-slate-600"
                title={token.expiresAt ? formatDateTime(token.expiresAt) : undefined}
              >
                <TokenExpiry expiresAt={token.expiresAt} />
              </td>
              <td
                className="px-3 py-3 text-slate-600"
                title={token.lastUsedAt ? formatDateTime(token.lastUsedAt) : undefined}
              >
                {token.lastUsedAt ? formatRelative(token.lastUsedAt) : "Never"}
              </td>
              <td className="px-5 py-2 text-right whitespace-nowrap">
                {token.revokedAt ? (
                  <span title={formatDateTime(token.revokedAt)}>
                    <Badge>Revoked {formatRelative(token.revokedAt)}</Badge>
                  </span>
                ) : (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Revoke token ${token.name}`}
                    className="hover:text-red-600"
                    onClick={() => setRevoking(token)}
                  >
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {creating ? <CreateTokenDialog onClose={() => setCreating(false)} /> : null}
      {revoking ? <RevokeTokenDialog token={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}

/** "Never", "in 29 days", or a red "Expired 2 days ago" (such a token gets 401). */
function TokenExpiry({ expiresAt }: { expiresAt: string | null }) {
  if (!expiresAt) return <>Never</>;
  if (Date.parse(expiresAt) <= Date.now()) {
    return <Badge tone="red">Expired {formatRelative(expiresAt)}</Badge>;
  }
  return <>{formatRelative(expiresAt)}</>;
}
