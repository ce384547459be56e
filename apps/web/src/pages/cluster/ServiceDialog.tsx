// Add or edit a virtual service: protocol + VIP + port, scheduler, persistence, forwarding, and on
// the keepalived engine its health check, failure action and sorry server.
import { SCHEDULERS } from "@lvs-panel/lvs";
import { type FormEvent, useState } from "react";
import { useCreateServiceMutation, useUpdateServiceMutation } from "../../api/services.ts";
import type { Engine, Service } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { CheckboxField, FormError, SelectField, TextField } from "../../components/Field.tsx";
import { useFormErrors } from "../../forms/formErrors.ts";
import {
  HEALTH_CHECK_FIELDS,
  type HealthCheckFormValues,
  healthCheckFormValues,
} from "../../forms/healthCheckForm.ts";
import { checkServiceForm, flagsFor } from "../../forms/serviceForm.ts";
import { HealthCheckFields } from "./HealthCheckFields.tsx";

const FIELDS = [
  "protocol",
  "vip",
  "port",
  "scheduler",
  "schedulerFlags",
  "persistence",
  "persistenceNetmask",
  "forwarding",
  ...HEALTH_CHECK_FIELDS,
] as const;

const SCHEDULER_NAMES: Record<string, string> = {
  rr: "Round robin",
  wrr: "Weighted round robin",
  lc: "Least connection",
  wlc: "Weighted least connection",
  lblc: "Locality-based least connection",
  lblcr: "Locality-based least connection with replication",
  dh: "Destination hashing",
  sh: "Source hashing",
  sed: "Shortest expected delay",
  nq: "Never queue",
  fo: "Weighted failover",
  ovf: "Weighted overflow",
  mh: "Maglev hashing",
};

export interface ServiceDialogProps {
  clusterId: string;
  /** The cluster's engine: the health check settings are offered on keepalived only. */
  engine?: Engine;
  service?: Service;
  onClose: () => void;
}

export function ServiceDialog({
  clusterId,
  engine = "ipvsadm",
  service,
  onClose,
}: ServiceDialogProps) {
  const create = useCreateServiceMutation(clusterId);
  const update = useUpdateServiceMutation(clusterId);
  const mutation = service ? update : create;
  const errors = useFormErrors(FIELDS);

  const [protocol, setProtocol] = useState<string>(service?.protocol ?? "tcp");
  const [vip, setVip] = useState(service?.vip ?? "");
  const [port, setPort] = useState(service ? String(service.port) : "");
  const [scheduler, setScheduler] = useState(service?.scheduler ?? "wlc");
  const [flags, setFlags] = useState<string[]>(service?.schedulerFlags ?? []);
  const [persistence, setPersistence] = useState(
    service?.persistence != null ? String(service.persistence) : "",
  );
  const [netmask, setNetmask] = useState(service?.persistenceNetmask ?? "");
  const [forwarding, setForwarding] = useState<string>(service?.forwarding ?? "nat");
  const [health, setHealth] = useState<HealthCheckFormValues>(() => healthCheckFormValues(service));
  const keepalived = engine === "keepalived";

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // The domain's rules, as the API runs them: the same words show next to the same fields.
    const checked = checkServiceForm({
      protocol,
      vip,
      port,
      scheduler,
      flags,
      persistence,
      netmask,
      forwarding,
      // On the ipvsadm engine nothing checks: the settings are not offered, and not sent.
      health: keepalived ? health : undefined,
    });
    errors.check(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    const { input } = checked;
    const options = { onSuccess: onClose, onError: errors.showError };
    if (service) update.mutate({ id: service.id, ...input }, options);
    else create.mutate(input, options);
  };

  const availableFlags = flagsFor(scheduler);

  return (
    <Dialog
      title={service ? "Edit service" : "Add service"}
      description="A virtual service is what clients connect to: protocol, VIP and port."
      onClose={onClose}
      size="lg"
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <div className="grid gap-4 sm:grid-cols-[7rem_1fr_7rem]">
          <SelectField
            label="Protocol"
            name="protocol"
            value={protocol}
            onChange={(e) => setProtocol(e.target.value)}
            error={errors.fields.protocol}
          >
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </SelectField>
          <TextField
            label="VIP"
            name="vip"
            autoFocus
            placeholder="192.0.2.10"
            spellCheck={false}
            value={vip}
            onChange={(e) => setVip(e.target.value)}
            error={errors.fields.vip}
          />
          <TextField
            label="Port"
            name="port"
            inputMode="numeric"
            placeholder="80"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            error={errors.fields.port}
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Scheduler"
            name="scheduler"
            value={scheduler}
            onChange={(e) => setScheduler(e.target.value)}
            error={errors.fields.scheduler}
          >
            {SCHEDULERS.map((name) => (
              <option key={name} value={name}>
                {name} — {SCHEDULER_NAMES[name] ?? name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Forwarding"
            name="forwarding"
            value={forwarding}
            onChange={(e) => setForwarding(e.target.value)}
            error={errors.fields.forwarding}
            hint={
              forwarding === "dr"
                ? "Direct routing: realservers answer clients directly; ports must match."
                : "NAT: replies return through the director; realservers route via the DIP."
            }
          >
            <option value="nat">NAT (masquerading)</option>
            <option value="dr">DR (direct routing)</option>
          </SelectField>
        </div>
        {availableFlags.length > 0 ? (
          <fieldset>
            <legend className="mb-1.5 text-sm font-medium text-slate-700">Scheduler flags</legend>
            <div className="flex flex-wrap gap-x-6 gap-y-2">
              {availableFlags.map((flag) => (
                <CheckboxField
                  key={flag}
                  label={flag}
                  checked={flags.includes(flag)}
                  onChange={(e) =>
                    setFlags((old) =>
                      e.target.checked ? [...old, flag] : old.filter((f) => f !== flag),
                    )
                  }
                />
              ))}
            </div>
            {errors.fields.schedulerFlags ? (
              <p className="mt-1.5 text-xs font-medium text-red-600">
                {errors.fields.schedulerFlags}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Persistence (seconds)"
            name="persistence"
            inputMode="numeric"
            placeholder="Off"
            value={persistence}
            onChange={(e) => setPersistence(e.target.value)}
            hint="Keeps a client on the same realserver across connections. Empty = off."
            error={errors.fields.persistence}
          />
          {persistence.trim() !== "" ? (
            <TextField
              label="Persistence netmask"
              name="persistenceNetmask"
              placeholder="255.255.255.255"
              spellCheck={false}
              value={netmask}
              onChange={(e) => setNetmask(e.target.value)}
              hint="Optional: group clients by network; a prefix length such as 64 for an IPv6 VIP."
              error={errors.fields.persistenceNetmask}
            />
          ) : null}
        </div>
        {keepalived ? (
          <HealthCheckFields
            values={health}
            onChange={(change) => setHealth((old) => ({ ...old, ...change }))}
            errors={errors.fields}
          />
        ) : (
          <p className="border-t border-slate-100 pt-4 text-xs text-slate-500">
            Health checks run on the keepalived engine. This cluster uses ipvsadm: every enabled
            realserver gets new connections whether it answers or not. Switch the engine on the
            cluster page to check them.
          </p>
        )}
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
