// Add or edit a realserver of one service: the managed host behind it (whose address fills the
// Address field), address, port, weight, enabled, thresholds, and on the keepalived engine the
// port its health check connects to.

import { isIpAddress, liveServiceKey } from "@lvs-panel/lvs";
import { type FormEvent, useState } from "react";
import { useHostsQuery } from "../../api/hosts.ts";
import { useCreateRealServerMutation, useUpdateRealServerMutation } from "../../api/services.ts";
import type { Engine, RealServer, Service } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { CheckboxField, FormError, SelectField, TextField } from "../../components/Field.tsx";
import { useFormErrors } from "../../forms/formErrors.ts";
import { checkRealServerForm } from "../../forms/realServerForm.ts";
import { formatForwarding } from "../../lib/format.ts";
import { HostOptions } from "../hosts/HostOptions.tsx";

const FIELDS = [
  "address",
  "port",
  "weight",
  "enabled",
  "upperThreshold",
  "lowerThreshold",
  "hostId",
  "checkPort",
] as const;

export interface RealServerDialogProps {
  clusterId: string;
  /** The cluster's engine: the check port is offered on keepalived only. */
  engine?: Engine;
  service: Service;
  realserver?: RealServer;
  onClose: () => void;
}

export function RealServerDialog({
  clusterId,
  engine = "ipvsadm",
  service,
  realserver,
  onClose,
}: RealServerDialogProps) {
  const create = useCreateRealServerMutation(clusterId);
  const update = useUpdateRealServerMutation(clusterId);
  const mutation = realserver ? update : create;
  const hosts = useHostsQuery();
  const [address, setAddress] = useState(realserver?.address ?? "");
  // A new realserver of a mark service starts with an empty port: the service's is 0, which the
  // realserver's own rule refuses.
  const [port, setPort] = useState(
    String(realserver?.port ?? (service.fwmark == null ? service.port : "")),
  );
  const [weight, setWeight] = useState(String(realserver?.weight ?? 1));
  const [enabled, setEnabled] = useState(realserver?.enabled ?? true);
  const [upper, setUpper] = useState(String(realserver?.upperThreshold ?? 0));
  const [lower, setLower] = useState(String(realserver?.lowerThreshold ?? 0));
  const [hostId, setHostId] = useState(realserver?.hostId ?? "");
  const [checkPort, setCheckPort] = useState(
    realserver?.checkPort != null ? String(realserver.checkPort) : "",
  );
  const keepalived = engine === "keepalived";
  const formValues = {
    address,
    port,
    weight,
    enabled,
    upperThreshold: upper,
    lowerThreshold: lower,
    hostId,
    // Not offered on the ipvsadm engine (nothing checks), so not sent: the stored value stays.
    checkPort: keepalived ? checkPort : undefined,
  };
  // The domain's rules, as the API runs them: the same words show next to the same fields, and
  // an error goes away as soon as its field is valid.
  const checkFields = () => {
    const checked = checkRealServerForm(formValues);
    return checked.ok ? {} : checked.errors;
  };
  const errors = useFormErrors(FIELDS, { values: formValues, validate: checkFields });
  const hostOf = (id: string) => hosts.data?.find((h) => h.id === id);
  const chosenHost = hostOf(hostId);

  /**
   * Choosing a host fills Address with the host's (when it is an IP: a DNS name is how the panel
   * reaches it, not necessarily the address the director sends traffic to), unless the operator
   * typed something of their own there.
   */
  const chooseHost = (id: string) => {
    const before = hostOf(hostId);
    setHostId(id);
    const next = hostOf(id);
    const typedOwn = address.trim() !== "" && address.trim() !== before?.address;
    if (next && isIpAddress(next.address) && !typedOwn) {
      setAddress(next.address);
      errors.clearField("address");
    }
  };
  // Which port an empty box means: the service's check port if it has one, else the realserver's.
  const serviceCheckPort = service.healthCheck.port;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkRealServerForm(formValues);
    errors.check(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    const { input } = checked;
    const options = { onSuccess: onClose, onError: errors.showError };
    if (realserver) update.mutate({ id: realserver.id, ...input }, options);
    else create.mutate({ serviceId: service.id, ...input }, options);
  };

  const target = liveServiceKey(service);

  return (
    <Dialog
      title={realserver ? "Edit realserver" : "Add realserver"}
      description={`A backend that serves ${target}.`}
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <SelectField
          label="Managed host"
          name="hostId"
          autoFocus={!realserver}
          value={hostId}
          onChange={(e) => chooseHost(e.target.value)}
          hint={
            chosenHost && !isIpAddress(chosenHost.address)
              ? `${chosenHost.name} is reached as ${chosenHost.address}: type the address the director sends its traffic to.`
              : "Optional: the SSH host behind this address, so the panel can prepare it. Choosing one fills Address."
          }
          error={errors.fields.hostId}
        >
          <option value="">None</option>
          <HostOptions hosts={hosts.data} />
        </SelectField>
        <div className="grid gap-4 sm:grid-cols-[1fr_7rem]">
          <TextField
            label="Address"
            name="address"
            autoFocus={Boolean(realserver)}
            placeholder="10.0.0.11"
            spellCheck={false}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            error={errors.fields.address}
          />
          <TextField
            label="Port"
            name="port"
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            error={errors.fields.port}
          />
        </div>
        {/* DR and TUN hand the packet on unchanged; a mark service has no port of its own. */}
        {(service.forwarding === "dr" || service.forwarding === "tun") && service.fwmark == null ? (
          <p className="-mt-2 text-xs text-slate-500">
            {formatForwarding(service.forwarding)} forwarding: the realserver port must equal the
            service port ({service.port}).
          </p>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Weight"
            name="weight"
            inputMode="numeric"
            value={weight}
            onChange={(e) => setWeight(e.target.value)}
            hint="0 drains it."
            error={errors.fields.weight}
          />
          <TextField
            label="Upper threshold"
            name="upperThreshold"
            inputMode="numeric"
            value={upper}
            onChange={(e) => setUpper(e.target.value)}
            hint="Max connections; 0 = none."
            error={errors.fields.upperThreshold}
          />
          <TextField
            label="Lower threshold"
            name="lowerThreshold"
            inputMode="numeric"
            value={lower}
            onChange={(e) => setLower(e.target.value)}
            error={errors.fields.lowerThreshold}
          />
        </div>
        {keepalived ? (
          <TextField
            label="Check port"
            name="checkPort"
            inputMode="numeric"
            placeholder={
              serviceCheckPort !== undefined
                ? String(serviceCheckPort)
                : port.trim() || String(service.port)
            }
            value={checkPort}
            onChange={(e) => setCheckPort(e.target.value)}
            hint={
              serviceCheckPort !== undefined
                ? `Optional: the port the health check connects to. Empty = the service's check port (${serviceCheckPort}).`
                : "Optional: the port the health check connects to. Empty = the realserver's port."
            }
            error={errors.fields.checkPort}
          />
        ) : null}
        <CheckboxField
          label="Enabled"
          name="enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
          hint="Disabled realservers stay in the panel but are not sent traffic."
          error={errors.fields.enabled}
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" pending={mutation.isPending}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
