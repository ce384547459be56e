// SSH hosts the panel manages: directors and realservers, with how it authenticates to each.
import { formatEndpoint } from "@lvs-panel/lvs";
import { useState } from "react";
import { useHostsQuery } from "../../api/hosts.ts";
import type { Host } from "../../api/types.ts";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { PlusIcon, ServerIcon } from "../../components/icons.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { Table, type TableColumn } from "../../components/Table.tsx";
import { DeleteHostDialog } from "./DeleteHostDialog.tsx";
import { HostDialog } from "./HostDialog.tsx";
import { HostSetupDialog } from "./HostSetupDialog.tsx";

type Editing =
  | { kind: "add" }
  | { kind: "edit"; host: Host }
  | { kind: "delete"; host: Host }
  | { kind: "setup"; host: Host };

const COLUMNS: TableColumn[] = [
  { header: "Name" },
  { header: "SSH" },
  { header: "Authentication" },
  { header: "Host key", className: "hidden lg:table-cell" },
  { header: "Actions", headerHidden: true, align: "right" },
];

export function HostsPage() {
  const hosts = useHostsQuery();
  const [editing, setEditing] = useState<Editing | null>(null);
  const close = () => setEditing(null);
  const hasHosts = (hosts.data?.length ?? 0) > 0;
  const addButton = (
    <IfCanEdit>
      <Button variant="primary" icon={<PlusIcon />} onClick={() => setEditing({ kind: "add" })}>
        Add host
      </Button>
    </IfCanEdit>
  );
  const names = new Map(hosts.data?.map((h) => [h.id, h.name]));

  return (
    <>
      <PageHeader
        title="Hosts"
        description="Machines the panel reaches over SSH: each cluster's director, and realservers it prepares."
        actions={hasHosts ? addButton : undefined}
      />
      {hosts.isPending ? (
        <LoadingState label="Loading hosts…" />
      ) : hosts.isError ? (
        <ErrorState error={hosts.error} onRetry={() => hosts.refetch()} />
      ) : !hasHosts ? (
        <EmptyState
          icon={<ServerIcon className="size-10" />}
          title="No hosts yet"
          action={addButton}
        >
          <IfCanEdit fallback="An operator or admin adds the machines the panel reaches over SSH.">
            Add the director of each cluster (and any realserver the panel should prepare) with its
            address, an SSH user and a private key or password.
          </IfCanEdit>
        </EmptyState>
      ) : (
        <Table columns={COLUMNS}>
          {hosts.data.map((host) => (
            <tr key={host.id} className="align-top">
              <td className="px-5 py-3">
                <p className="font-medium text-slate-900">{host.name}</p>
                {host.jumpHostId ? (
                  <p className="mt-0.5 text-xs text-slate-500">
                    via {names.get(host.jumpHostId) ?? "unknown host"}
                  </p>
                ) : null}
              </td>
              <td className="px-3 py-3 font-mono text-xs text-slate-700">
                {host.username}@{formatEndpoint(host.address, host.port)}
              </td>
              <td className="px-3 py-3">
                <div className="flex flex-wrap gap-1.5">
                  <Badge tone={host.hasSecret ? "neutral" : "amber"}>
                    {host.authType === "key" ? "Private key" : "Password"}
                    {host.hasSecret ? "" : " missing"}
                  </Badge>
                  {host.authType === "key" && host.hasPassphrase ? <Badge>Passphrase</Badge> : null}
                </div>
              </td>
              <td className="hidden max-w-56 px-3 py-3 lg:table-cell">
                {host.hostKeySha256 ? (
                  <span
                    className="block truncate font-mono text-xs text-slate-600"
                    title={host.hostKeySha256}
                  >
                    {host.hostKeySha256}
                  </span>
                ) : (
                  <span className="text-xs text-slate-400">Not pinned yet</span>
                )}
              </td>
              <td className="px-5 py-2 text-right whitespace-nowrap">
                <IfCanEdit>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Test login to ${host.name}`}
                    title="Check its host key, then log in and check sudo and the tools it needs"
                    onClick={() => setEditing({ kind: "setup", host })}
                  >
                    Test login
                  </Button>
                </IfCanEdit>
                <IfCanEdit>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Edit host ${host.name}`}
                    onClick={() => setEditing({ kind: "edit", host })}
                  >
                    Edit
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Delete host ${host.name}`}
                    className="hover:text-red-600"
                    onClick={() => setEditing({ kind: "delete", host })}
                  >
                    Delete
                  </Button>
                </IfCanEdit>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {editing?.kind === "add" ? (
        <HostDialog onClose={close} onCreated={(host) => setEditing({ kind: "setup", host })} />
      ) : null}
      {editing?.kind === "edit" ? <HostDialog host={editing.host} onClose={close} /> : null}
      {editing?.kind === "setup" ? <HostSetupDialog host={editing.host} onClose={close} /> : null}
      {editing?.kind === "delete" ? <DeleteHostDialog host={editing.host} onClose={close} /> : null}
    </>
  );
}
