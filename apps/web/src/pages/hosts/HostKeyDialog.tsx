// Trust on first use, made explicit: scan the host key, compare, then pin what the operator saw.
import { formatEndpoint } from "@lvs-panel/lvs";
import { useEffect } from "react";
import { useScanHostKeyMutation, useTrustHostKeyMutation } from "../../api/hosts.ts";
import type { Host } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError } from "../../components/Field.tsx";
import { AlertIcon, CheckCircleIcon } from "../../components/icons.tsx";
import { Spinner } from "../../components/Spinner.tsx";

export function HostKeyDialog({ host, onClose }: { host: Host; onClose: () => void }) {
  const scan = useScanHostKeyMutation();
  const trust = useTrustHostKeyMutation();
  const { mutate: runScan } = scan;

  useEffect(() => runScan(host.id), [runScan, host.id]);

  const result = scan.data;
  const state = !result
    ? null
    : result.pinned === null
      ? "new"
      : result.pinned === result.fingerprint
        ? "same"
        : "changed";

  return (
    <Dialog
      title={`Host key of ${host.name}`}
      description={`The key ${formatEndpoint(host.address, host.port)} presents over SSH. The panel only connects when it matches the pinned one.`}
      onClose={onClose}
    >
      <div className="space-y-4 text-sm">
        {scan.isPending ? (
          <p role="status" className="flex items-center gap-2 text-slate-500">
            <Spinner className="size-4" /> Connecting to {host.address}…
          </p>
        ) : null}
        {scan.isError ? <FormError message={scan.error.message} /> : null}
        {result ? (
          <>
            <dl className="rounded-lg bg-slate-50 px-4 py-3 ring-1 ring-inset ring-slate-200">
              <dt className="text-xs font-medium text-slate-500">{result.keyType}</dt>
              <dd className="mt-1 font-mono text-xs break-all text-slate-900">
                {result.fingerprint}
              </dd>
              {state === "changed" ? (
                <>
                  <dt className="mt-3 text-xs font-medium text-slate-500">Pinned until now</dt>
                  <dd className="mt-1 font-mono text-xs break-all text-slate-500">
                    {result.pinned}
                  </dd>
                </>
              ) : null}
            </dl>
            {state === "same" ? (
              <p className="flex items-center gap-2 text-emerald-700">
                <CheckCircleIcon className="size-5" /> Matches the pinned key.
              </p>
            ) : state === "new" ? (
              <p className="text-slate-600">
                No key is pinned yet. Compare it with the output of{" "}
                <code className="font-mono text-xs">
                  ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub
                </code>{" "}
                on the host before trusting it.
              </p>
            ) : state === "changed" ? (
              <p className="flex gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-red-800">
                <AlertIcon className="mt-0.5 size-4 shrink-0" />
                The host presents a different key than the pinned one. Trust it only if you know the
                host was reinstalled or its keys were rotated.
              </p>
            ) : null}
            <FormError message={trust.error?.message} />
          </>
        ) : null}
      </div>
      <DialogActions>
        <Button onClick={onClose}>{state === "same" ? "Close" : "Cancel"}</Button>
        {scan.isError ? <Button onClick={() => runScan(host.id)}>Try again</Button> : null}
        {result && state !== "same" ? (
          <Button
            variant={state === "changed" ? "danger" : "primary"}
            pending={trust.isPending}
            onClick={() =>
              trust.mutate({ id: host.id, fingerprint: result.fingerprint }, { onSuccess: onClose })
            }
          >
            {state === "changed" ? "Trust the new key" : "Trust this key"}
          </Button>
        ) : null}
      </DialogActions>
    </Dialog>
  );
}
