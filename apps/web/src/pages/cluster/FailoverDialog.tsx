// Director failover: keepalived's VRRP settings and the second director. Saved as the cluster's
// desired state (PATCH ha, PUT directors); the next apply sets both directors up.
import { interfaceNameSchema, ipAddressSchema } from "@lvs-panel/lvs";
import { type FormEvent, useState } from "react";
import { useSaveFailoverMutation } from "../../api/failover.ts";
import { useHostsQuery } from "../../api/hosts.ts";
import type { Cluster } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { CheckboxField, FormError, SelectField, TextField } from "../../components/Field.tsx";
import { collect, useFormErrors, validate } from "../../forms/formErrors.ts";
import { HostOptions } from "../hosts/HostOptions.tsx";

const FIELDS = [
  "virtualRouterId",
  "advertIntervalSeconds",
  "floatingGateway",
  "hostId",
  "dip",
  "interface",
  "vipInterface",
  "priority",
] as const;

function wholeIn(text: string, min: number, max: number): string | undefined {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max
    ? undefined
    : `must be a whole number from ${min} to ${max}`;
}

export function FailoverDialog({ cluster, onClose }: { cluster: Cluster; onClose: () => void }) {
  const hosts = useHostsQuery();
  const save = useSaveFailoverMutation(cluster.id);
  const first = cluster.directors[0] ?? null;
  const second = cluster.directors[1] ?? null;
  const ha = cluster.ha;
  const nat = cluster.services.some((s) => s.forwarding === "nat");
  const [vrid, setVrid] = useState(String(ha?.virtualRouterId ?? 51));
  const [advert, setAdvert] = useState(String(ha?.advertIntervalSeconds ?? 1));
  const [unicast, setUnicast] = useState(ha?.unicast ?? false);
  const [preempt, setPreempt] = useState(ha?.preempt ?? true);
  const [sync, setSync] = useState(ha?.connectionSync ?? true);
  const [gateway, setGateway] = useState(ha?.floatingGateway ?? "");
  const [withSecond, setWithSecond] = useState(second !== null || ha === null);
  const [hostId, setHostId] = useState(second?.hostId ?? "");
  const [dip, setDip] = useState(second?.dip ?? "");
  const [iface, setIface] = useState(second?.interface ?? first?.interface ?? "");
  const [vipIface, setVipIface] = useState(second?.vipInterface ?? first?.vipInterface ?? "");
  // Below the first director's: it is the preferred master.
  const [priority, setPriority] = useState(
    String(second?.priority ?? Math.max(1, (first?.priority ?? 150) - 50)),
  );

  const checkFields = () =>
    collect({
      virtualRouterId: wholeIn(vrid, 1, 255),
      advertIntervalSeconds: wholeIn(advert, 1, 255),
      floatingGateway: gateway.trim() === "" ? undefined : validate(ipAddressSchema, gateway),
      ...(withSecond
        ? {
            hostId: hostId === "" ? "choose the second director's host" : undefined,
            dip: validate(ipAddressSchema, dip),
            interface: validate(interfaceNameSchema, iface),
            vipInterface:
              vipIface.trim() === "" ? undefined : validate(interfaceNameSchema, vipIface),
            priority: wholeIn(priority, 1, 254),
          }
        : {}),
    });
  // An error goes away as soon as its field is valid.
  const errors = useFormErrors(FIELDS, {
    values: {
      virtualRouterId: vrid,
      advertIntervalSeconds: advert,
      floatingGateway: gateway,
      hostId,
      dip,
      interface: iface,
      vipInterface: vipIface,
      priority,
    },
    validate: checkFields,
  });

  if (!first) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = errors.check(checkFields());
    if (!ok) return;
    const firstEntry = {
      hostId: first.hostId,
      dip: first.dip,
      interface: first.interface,
      vipInterface: first.vipInterface,
      priority: first.priority,
    };
    const directors = withSecond
      ? [
          firstEntry,
          {
            hostId,
            dip: dip.trim(),
            interface: iface.trim(),
            vipInterface: vipIface.trim() === "" ? null : vipIface.trim(),
            priority: Number(priority),
          },
        ]
      : [firstEntry];
    save.mutate(
      {
        ha: {
          virtualRouterId: Number(vrid),
          advertIntervalSeconds: Number(advert),
          unicast,
          preempt,
          connectionSync: sync,
          floatingGateway: gateway.trim() === "" ? null : gateway.trim(),
        },
        directors,
      },
      {
        onSuccess: onClose,
        onError: (err) => errors.showError(err),
      },
    );
  };

  return (
    <Dialog
      title={ha ? "Failover settings" : "Set up director failover"}
      description="keepalived's VRRP moves the VIPs to the second director when the first fails. Saved as desired state: Plan & apply sets both directors up."
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        {cluster.engine !== "keepalived" ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
            Failover runs on keepalived: change the engine to keepalived first.
          </p>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Virtual router id"
            name="virtualRouterId"
            inputMode="numeric"
            value={vrid}
            onChange={(e) => setVrid(e.target.value)}
            hint="1-255, unique on the segment"
            error={errors.fields.virtualRouterId}
          />
          <TextField
            label="Advert interval (s)"
            name="advertIntervalSeconds"
            inputMode="numeric"
            value={advert}
            onChange={(e) => setAdvert(e.target.value)}
            hint="The backup takes over after 3 missed adverts"
            error={errors.fields.advertIntervalSeconds}
          />
        </div>
        <TextField
          label="Floating gateway"
          name="floatingGateway"
          placeholder="10.10.0.254"
          spellCheck={false}
          value={gateway}
          onChange={(e) => setGateway(e.target.value)}
          hint={
            nat
              ? "Required for NAT with two directors: a free address on the realservers' segment that moves with the VIPs; the realservers send replies to it."
              : "NAT only: a free address on the realservers' segment that moves with the VIPs."
          }
          error={errors.fields.floatingGateway}
        />
        <div className="grid gap-2 sm:grid-cols-3">
          <CheckboxField
            label="Unicast adverts"
            checked={unicast}
            onChange={(e) => setUnicast(e.target.checked)}
            hint="For clouds and VMs without multicast; adding or removing the second director then costs a few seconds without a master"
          />
          <CheckboxField
            label="Preempt"
            checked={preempt}
            onChange={(e) => setPreempt(e.target.checked)}
            hint="The higher priority takes the VIPs back"
          />
          <CheckboxField
            label="Connection sync"
            checked={sync}
            onChange={(e) => setSync(e.target.checked)}
            hint="Established connections survive a failover"
          />
        </div>
        <CheckboxField
          label="Second director"
          checked={withSecond}
          onChange={(e) => setWithSecond(e.target.checked)}
          hint={
            second && !withSecond
              ? "Saving removes it: the next apply stops its keepalived and removes this cluster's services from it."
              : undefined
          }
        />
        {withSecond ? (
          <fieldset className="space-y-4 rounded-md border border-slate-200 p-3">
            <SelectField
              label="Host"
              name="hostId"
              value={hostId}
              onChange={(e) => setHostId(e.target.value)}
              error={errors.fields.hostId}
            >
              <option value="" disabled>
                Choose a host…
              </option>
              <HostOptions hosts={(hosts.data ?? []).filter((h) => h.id !== first.hostId)} />
            </SelectField>
            <div className="grid gap-4 sm:grid-cols-[1fr_8rem_8rem]">
              <TextField
                label="DIP"
                name="dip"
                placeholder="10.10.0.2"
                spellCheck={false}
                value={dip}
                onChange={(e) => setDip(e.target.value)}
                error={errors.fields.dip}
              />
              <TextField
                label="Interface"
                name="interface"
                spellCheck={false}
                value={iface}
                onChange={(e) => setIface(e.target.value)}
                error={errors.fields.interface}
              />
              <TextField
                label="Priority"
                name="priority"
                inputMode="numeric"
                value={priority}
                onChange={(e) => setPriority(e.target.value)}
                hint={`first: ${first.priority}`}
                error={errors.fields.priority}
              />
            </div>
            <TextField
              label="Outward NIC for NAT VIPs"
              name="vipInterface"
              placeholder="Same as Interface"
              spellCheck={false}
              value={vipIface}
              onChange={(e) => setVipIface(e.target.value)}
              error={errors.fields.vipInterface}
            />
          </fieldset>
        ) : null}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" pending={save.isPending}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
