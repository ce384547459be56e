// Choose the director: the SSH host that runs ipvsadm, its DIP and the interface carrying the VIP.
import { interfaceNameSchema, ipAddressSchema } from "@lvs-panel/lvs";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { useSetDirectorMutation } from "../../api/clusters.ts";
import { useHostsQuery } from "../../api/hosts.ts";
import type { Director } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError, SelectField } from "../../components/Field.tsx";
import { LoadingState } from "../../components/Spinner.tsx";
import { collect, useFormErrors, validate } from "../../forms/formErrors.ts";
import { HostOptions } from "../hosts/HostOptions.tsx";
import { DirectorAddressFields } from "./DirectorAddressFields.tsx";

const FIELDS = ["hostId", "dip", "interface", "vipInterface"] as const;

export interface DirectorDialogProps {
  clusterId: string;
  director: Director | null;
  onClose: () => void;
}

export function DirectorDialog({ clusterId, director, onClose }: DirectorDialogProps) {
  const hosts = useHostsQuery();
  const setDirector = useSetDirectorMutation(clusterId);
  const [hostId, setHostId] = useState(director?.hostId ?? "");
  const [dip, setDip] = useState(director?.dip ?? "");
  const [iface, setIface] = useState(director?.interface ?? "");
  const [vipIface, setVipIface] = useState(director?.vipInterface ?? "");
  const checkFields = () =>
    collect({
      hostId: hostId === "" ? "choose the host that runs the director" : undefined,
      dip: validate(ipAddressSchema, dip),
      interface: validate(interfaceNameSchema, iface),
      vipInterface: vipIface.trim() === "" ? undefined : validate(interfaceNameSchema, vipIface),
    });
  // An error goes away as soon as its field is valid.
  const errors = useFormErrors(FIELDS, {
    values: { hostId, dip, interface: iface, vipInterface: vipIface },
    validate: checkFields,
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const ok = errors.check(checkFields());
    if (!ok) return;
    setDirector.mutate(
      {
        hostId,
        dip: dip.trim(),
        interface: iface.trim(),
        vipInterface: vipIface.trim() === "" ? null : vipIface.trim(),
      },
      { onSuccess: onClose, onError: errors.showError },
    );
  };

  return (
    <Dialog
      title={director ? "Change director" : "Set director"}
      description="The director runs the IPVS table. The DIP is its address on the realservers' network."
      onClose={onClose}
    >
      {hosts.isPending ? (
        <LoadingState label="Loading hosts…" />
      ) : (hosts.data?.length ?? 0) === 0 ? (
        <div className="space-y-4 text-sm text-slate-600">
          <p>
            There are no hosts yet. Add the director machine on the{" "}
            <Link to="/hosts" className="font-medium text-indigo-600 hover:underline">
              Hosts page
            </Link>{" "}
            (its address and SSH credentials), then come back to pick it here.
          </p>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <FormError message={errors.form ?? (hosts.isError ? hosts.error.message : null)} />
          <SelectField
            label="Host"
            name="hostId"
            autoFocus
            value={hostId}
            onChange={(e) => setHostId(e.target.value)}
            error={errors.fields.hostId}
          >
            <option value="" disabled>
              Choose a host…
            </option>
            <HostOptions hosts={hosts.data} />
          </SelectField>
          <DirectorAddressFields
            hostId={hostId === "" ? undefined : hostId}
            value={{ dip, iface, vipIface }}
            onChange={(next) => {
              setDip(next.dip);
              setIface(next.iface);
              setVipIface(next.vipIface);
            }}
            errors={errors.fields}
          />
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" pending={setDirector.isPending}>
              Save
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
