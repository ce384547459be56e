// Setting a host up, as a guided sequence after it is saved (and whenever its key or login is in
// doubt): 1. compare and trust its SSH key, 2. Test login, which lists what works and what not.
import { useCallback, useState } from "react";
import { useTestLoginMutation } from "../../api/hosts.ts";
import type { Host } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError } from "../../components/Field.tsx";
import { Spinner } from "../../components/Spinner.tsx";
import { HostKeyStep } from "./HostKeyStep.tsx";
import { LoginTestResult } from "./LoginTestResult.tsx";

export function HostSetupDialog({ host, onClose }: { host: Host; onClose: () => void }) {
  const [trusted, setTrusted] = useState(false);
  const onTrusted = useCallback(() => setTrusted(true), []);
  const test = useTestLoginMutation();

  return (
    <Dialog
      title={`Set up ${host.name}`}
      description="Confirm the SSH key the host presents, then test that the panel can log in and finds the tools it needs."
      onClose={onClose}
      size="lg"
    >
      <ol className="space-y-6">
        <li>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">1. Host key</h3>
          <HostKeyStep host={host} onTrusted={onTrusted} />
        </li>
        <li>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">2. Test login</h3>
          {!trusted ? (
            <p className="text-sm text-slate-500">Trust the host key first.</p>
          ) : (
            <div className="space-y-3">
              <p className="text-sm text-slate-600">
                Logs in as {host.username}, checks that it can run commands as root
                {host.username === "root" ? "" : " (sudo -n)"} and that the tools this host's role
                needs are installed.
              </p>
              {test.isPending ? (
                <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
                  <Spinner className="size-4" /> Logging in to {host.address}…
                </p>
              ) : null}
              <FormError message={test.error?.message} />
              {test.data && !test.isPending ? <LoginTestResult result={test.data} /> : null}
              <Button
                variant={test.data ? "secondary" : "primary"}
                pending={test.isPending}
                onClick={() => test.mutate(host.id)}
              >
                {test.data ? "Test again" : "Test login"}
              </Button>
            </div>
          )}
        </li>
      </ol>
      <DialogActions>
        <Button onClick={onClose}>{test.data?.ok ? "Done" : "Close"}</Button>
      </DialogActions>
    </Dialog>
  );
}
