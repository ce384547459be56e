// Trust on first use, made explicit: scan the host key, show how to compare it on the host, then
// pin what the operator saw. The first step of setting a host up.
import { useEffect } from "react";
import { useScanHostKeyMutation, useTrustHostKeyMutation } from "../../api/hosts.ts";
import type { Host } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { CopyButton } from "../../components/CopyButton.tsx";
import { FormError } from "../../components/Field.tsx";
import { AlertIcon, CheckCircleIcon } from "../../components/icons.tsx";
import { Spinner } from "../../components/Spinner.tsx";

/** The command that prints, on the host itself, the fingerprint of the key it presents. */
export function fingerprintCommand(keyType: string): string {
  const kind = keyType.startsWith("ecdsa")
    ? "ecdsa"
    : keyType === "ssh-ed25519"
      ? "ed25519"
      : keyType.includes("rsa")
        ? "rsa"
        : "*";
  return `ssh-keygen -lf /etc/ssh/ssh_host_${kind}_key.pub`;
}

export function HostKeyStep({ host, onTrusted }: { host: Host; onTrusted: () => void }) {
  const scan = useScanHostKeyMutation();
  const trust = useTrustHostKeyMutation();
  const { mutate: runScan } = scan;

  useEffect(() => runScan(host.id), [runScan, host.id]);

  const result = scan.data;
  const state = !result
    ? null
    : trust.isSuccess || result.pinned === result.fingerprint
      ? "same"
      : result.pinned === null
        ? "new"
        : "changed";
  useEffect(() => {
    if (state === "same") onTrusted();
  }, [state, onTrusted]);

  return (
    <div className="space-y-3 text-sm">
      {scan.isPending ? (
        <p role="status" className="flex items-center gap-2 text-slate-500">
          <Spinner className="size-4" /> Connecting to {host.address}…
        </p>
      ) : null}
      {scan.isError ? (
        <>
          <FormError message={scan.error.message} />
          <Button size="sm" onClick={() => runScan(host.id)}>
            Try again
          </Button>
        </>
      ) : null}
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
                <dd className="mt-1 font-mono text-xs break-all text-slate-500">{result.pinned}</dd>
              </>
            ) : null}
          </dl>
          {state === "same" ? (
            <p className="flex items-center gap-2 text-emerald-700">
              <CheckCircleIcon className="size-5" />
              {trust.isSuccess
                ? "Trusted: the panel only connects to this key."
                : "Matches the pinned key."}
            </p>
          ) : (
            <>
              {state === "changed" ? (
                <p className="flex gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-red-800">
                  <AlertIcon className="mt-0.5 size-4 shrink-0" />
                  The host presents a different key than the pinned one. Trust it only if you know
                  the host was reinstalled or its keys were rotated.
                </p>
              ) : (
                <p className="text-slate-600">
                  No key is pinned yet. On the host itself (its console, or a session you trust),
                  run this and compare the fingerprint before trusting it:
                </p>
              )}
              <div className="flex items-center gap-2">
                <code className="flex-1 rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">
                  {fingerprintCommand(result.keyType)}
                </code>
                <CopyButton
                  text={fingerprintCommand(result.keyType)}
                  label="Copy the ssh-keygen command"
                />
              </div>
              <FormError message={trust.error?.message} />
              <Button
                variant={state === "changed" ? "danger" : "primary"}
                pending={trust.isPending}
                onClick={() => trust.mutate({ id: host.id, fingerprint: result.fingerprint })}
              >
                {state === "changed" ? "Trust the new key" : "Trust this key"}
              </Button>
            </>
          )}
        </>
      ) : null}
    </div>
  );
}
