// Deleting a host names what uses it first: a director or a jump host cannot go, and realservers
// linked to it are listed and unlinked only once the operator has seen them and confirmed.
import { formatEndpoint } from "@lvs-panel/lvs";
import { useDeleteHostMutation, useHostLinksQuery } from "../../api/hosts.ts";
import type { Host } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError } from "../../components/Field.tsx";
import { LoadingState } from "../../components/Spinner.tsx";

export function DeleteHostDialog({ host, onClose }: { host: Host; onClose: () => void }) {
  const links = useHostLinksQuery(host.id);
  const remove = useDeleteHostMutation();
  const title = `Delete host “${host.name}”?`;

  if (links.isPending || links.isError) {
    return (
      <Dialog title={title} onClose={onClose}>
        {links.isPending ? (
          <LoadingState label="Checking what uses this host…" />
        ) : (
          <FormError message={links.error.message} />
        )}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
        </DialogActions>
      </Dialog>
    );
  }

  const { directors, jumpedHosts, realservers } = links.data;
  if (directors.length > 0 || jumpedHosts.length > 0) {
    return (
      <Dialog title={`${host.name} is in use`} onClose={onClose}>
        <div className="space-y-2 text-sm text-slate-600">
          {directors.map((d) => (
            <p key={d.clusterId}>
              It is the director of cluster “{d.clusterName}”: choose another director there first.
            </p>
          ))}
          {jumpedHosts.map((h) => (
            <p key={h.id}>
              It is the jump host of {h.name}: give {h.name} another way in first.
            </p>
          ))}
        </div>
        <DialogActions>
          <Button onClick={onClose} autoFocus>
            Close
          </Button>
        </DialogActions>
      </Dialog>
    );
  }

  return (
    <ConfirmDialog
      title={title}
      confirmLabel={realservers.length > 0 ? "Unlink and delete" : "Delete"}
      pending={remove.isPending}
      error={remove.error?.message}
      onCancel={onClose}
      onConfirm={() =>
        remove.mutate({ id: host.id, force: realservers.length > 0 }, { onSuccess: onClose })
      }
    >
      {realservers.length > 0 ? (
        <>
          <p>
            {host.name} is linked to{" "}
            {realservers.length === 1
              ? "this realserver"
              : `these ${realservers.length} realservers`}
            . Deleting it unlinks {realservers.length === 1 ? "it" : "them"}: they stay in their
            services, but the panel no longer prepares that machine (its VIP on lo, ARP settings,
            return routes) at the next apply.
          </p>
          <ul aria-label="Linked realservers" className="list-disc space-y-0.5 pl-5">
            {realservers.map((rs) => (
              <li key={rs.id}>
                <span className="font-mono text-slate-900">
                  {formatEndpoint(rs.address, rs.port)}
                </span>{" "}
                in cluster “{rs.clusterName}”
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        The panel forgets how to reach {host.name} and its stored secret. Nothing changes on the
        machine itself.
      </p>
    </ConfirmDialog>
  );
}
