// Who may sign in, and with which role (admins only).
import { useState } from "react";
import { useAuthStatusQuery } from "../../api/auth.ts";
import type { UserAccount } from "../../api/types.ts";
import { useUsersQuery } from "../../api/users.ts";
import { AdminOnly } from "../../components/AdminOnly.tsx";
import { Badge } from "../../components/Badge.tsx";
import { Button } from "../../components/Button.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { PencilIcon, PlusIcon, TrashIcon } from "../../components/icons.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { Table, type TableColumn } from "../../components/Table.tsx";
import { formatDateTime, formatRelative } from "../../lib/format.ts";
import { ROLE_OPTIONS, roleLabel } from "./roles.ts";
import { AddUserDialog, DeleteUserDialog, EditUserDialog } from "./UserDialogs.tsx";

type Editing = { kind: "add" } | { kind: "edit" | "delete"; user: UserAccount };

const roleTone = { admin: "indigo", operator: "green", viewer: "neutral" } as const;

const COLUMNS: TableColumn[] = [
  { header: "Username" },
  { header: "Role" },
  { header: "Added", className: "hidden sm:table-cell" },
  { header: "Actions", headerHidden: true, align: "right" },
];

export function UsersPage() {
  return (
    <AdminOnly>
      <UsersList />
    </AdminOnly>
  );
}

function UsersList() {
  const users = useUsersQuery();
  const me = useAuthStatusQuery().data?.user;
  const [editing, setEditing] = useState<Editing | null>(null);
  const close = () => setEditing(null);

  return (
    <>
      <PageHeader
        title="Users"
        description={
          <>
            Who may sign in.{" "}
            {ROLE_OPTIONS.map((option, index) => (
              <span key={option.value}>
                {index > 0 ? "; " : ""}
                <span className="font-medium text-slate-600">{option.label}s</span>{" "}
                {option.description}
              </span>
            ))}
            .
          </>
        }
        actions={
          <Button variant="primary" icon={<PlusIcon />} onClick={() => setEditing({ kind: "add" })}>
            Add user
          </Button>
        }
      />
      {users.isPending ? (
        <LoadingState label="Loading users…" />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => users.refetch()} />
      ) : (
        <Table columns={COLUMNS}>
          {users.data.map((user) => (
            <tr key={user.id}>
              <td className="px-5 py-3">
                <span className="font-medium text-slate-900">{user.username}</span>
                {user.id === me?.id ? (
                  <span className="ml-2 text-xs text-slate-500">(you)</span>
                ) : null}
              </td>
              <td className="px-3 py-3">
                <Badge tone={roleTone[user.role] ?? "neutral"}>{roleLabel(user.role)}</Badge>
              </td>
              <td
                className="hidden px-3 py-3 text-slate-600 sm:table-cell"
                title={formatDateTime(user.createdAt)}
              >
                {formatRelative(user.createdAt)}
              </td>
              <td className="px-5 py-2 text-right whitespace-nowrap">
                <Button
                  size="sm"
                  variant="ghost"
                  icon={<PencilIcon />}
                  aria-label={`Edit user ${user.username}`}
                  onClick={() => setEditing({ kind: "edit", user })}
                >
                  Edit
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  icon={<TrashIcon />}
                  aria-label={`Delete user ${user.username}`}
                  className="hover:text-red-600"
                  onClick={() => setEditing({ kind: "delete", user })}
                >
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {editing?.kind === "add" ? <AddUserDialog onClose={close} /> : null}
      {editing?.kind === "edit" ? <EditUserDialog user={editing.user} onClose={close} /> : null}
      {editing?.kind === "delete" ? <DeleteUserDialog user={editing.user} onClose={close} /> : null}
    </>
  );
}
