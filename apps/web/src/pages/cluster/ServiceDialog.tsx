// Add or edit a virtual service: protocol + VIP + port (or a firewall mark and the VIP it covers),
// scheduler, persistence, forwarding, and on the keepalived engine its health check, failure
// action and sorry server.
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
import {
  checkServiceForm,
  FORWARDING_OPTIONS,
  flagsFor,
  PROTOCOL_OPTIONS,
  type ServiceFormValues,
  type ServiceMatch,
  serviceFormFieldValues,
} from "../../forms/serviceForm.ts";
import { HealthCheckFields } from "./HealthCheckFields.tsx";

const SHARED_FIELDS = [
  "vip",
  "scheduler",
  "schedulerFlags",
  "persistence",
  "persistenceNetmask",
  "forwarding",
  ...HEALTH_CHECK_FIELDS,
] as const;

/**
 * The fields on screen, by what the service matches: an API error about a hidden field (the port
 * of a mark service) shows at form level rather than next to nothing.
 */
const FIELDS: Record<ServiceMatch, readonly string[]> = {
  port: ["protocol", "port", ...SHARED_FIELDS],
  fwmark: ["fwmark", ...SHARED_FIELDS],
};

const MARK_HINT =
  "Packets marked by iptables/nftables (-j MARK --set-mark N); the VIP is the address the mark covers, placed on the director and, for DR/TUN, on the realservers.";

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
  const [match, setMatch] = useState<ServiceMatch>(service?.fwmark != null ? "fwmark" : "port");

  const [protocol, setProtocol] = useState<string>(service?.protocol ?? "tcp");
  const [vip, setVip] = useState(service?.vip ?? "");
  // A mark service's port is 0: its box starts empty should the operator switch to a port.
  const [port, setPort] = useState(service && service.fwmark == null ? String(service.port) : "");
  const [fwmark, setFwmark] = useState(service?.fwmark != null ? String(service.fwmark) : "");
  const [scheduler, setScheduler] = useState(service?.scheduler ?? "wlc");
  const [flags, setFlags] = useState<string[]>(service?.schedulerFlags ?? []);
  const [persistence, setPersistence] = useState(
    service?.persistence != null ? String(service.persistence) : "",
  );
  const [netmask, setNetmask] = useState(service?.persistenceNetmask ?? "");
  const [forwarding, setForwarding] = useState<string>(service?.forwarding ?? "nat");
  const [health, setHealth] = useState<HealthCheckFormValues>(() => healthCheckFormValues(service));
  const keepalived = engine === "keepalived";
  const values: ServiceFormValues = {
    match,
    protocol,
    vip,
    port,
    fwmark,
    scheduler,
    flags,
    persistence,
    netmask,
    forwarding,
    // On the ipvsadm engine nothing checks: the settings are not offered, and not sent.
    health: keepalived ? health : undefined,
  };
  // The domain's rules, as the API runs them: the same words show next to the same fields, and
  // an error goes as soon as its field is right.
  const errors = useFormErrors(FIELDS[match], {
    values: serviceFormFieldValues(values),
    validate: () => {
      const checked = checkServiceForm(values);
      return checked.ok ? {} : checked.errors;
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkServiceForm(values);
    errors.check(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    const { input } = checked;
    const options = { onSuccess: onClose, onError: errors.showError };
    if (service) update.mutate({ id: service.id, ...input }, options);
    else create.mutate(input, options);
  };

  const availableFlags = flagsFor(scheduler);
  const byMark = match === "fwmark";

  return (
    <Dialog
      title={service ? "Edit service" : "Add service"}
      description="A virtual service is what clients connect to: protocol, VIP and port, or the packets of a firewall mark."
      onClose={onClose}
      size="lg"
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        {/* A select, not radios: an option's text is no label, so "VIP" and "Port" each still
            name one field (e2e fills them by labels that are not exact). */}
        <SelectField
          label="Match by"
          name="match"
          value={match}
          onChange={(e) => setMatch(e.target.value as ServiceMatch)}
          hint={byMark ? MARK_HINT : undefined}
        >
          <option value="port">Protocol, VIP and port</option>
          <option value="fwmark">Firewall mark</option>
        </SelectField>
        {/* The VIP keeps its place (the second child) either way, so switching does not remount
            it and its autoFocus does not pull focus from the select. */}
        <div
          className={`grid gap-4 ${byMark ? "sm:grid-cols-[10rem_1fr]" : "sm:grid-cols-[7rem_1fr_7rem]"}`}
        >
          {byMark ? (
            <TextField
              label="Firewall mark"
              name="fwmark"
              inputMode="numeric"
              placeholder="1"
              value={fwmark}
              onChange={(e) => setFwmark(e.target.value)}
              error={errors.fields.fwmark}
            />
          ) : (
            <SelectField
              label="Protocol"
              name="protocol"
              value={protocol}
              onChange={(e) => setProtocol(e.target.value)}
              error={errors.fields.protocol}
            >
              {PROTOCOL_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </SelectField>
          )}
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
          {byMark ? null : (
            <TextField
              label="Port"
              name="port"
              inputMode="numeric"
              placeholder="80"
              value={port}
              onChange={(e) => setPort(e.target.value)}
              error={errors.fields.port}
            />
          )}
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
            hint={FORWARDING_OPTIONS.find((option) => option.value === forwarding)?.hint}
          >
            {FORWARDING_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
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
