// A new cluster from what already runs on a director: where the director is, a name, then a read
// of its table; the operator picks the services and the cluster page opens on the result.
import { interfaceNameSchema, ipAddressSchema } from "@lvs-panel/lvs";
import { type FormEvent, useId, useState } from "react";
import { useNavigate } from "react-router";
import { isApiError } from "../../api/client.ts";
import { useHostsQuery } from "../../api/hosts.ts";
import { useImportClusterMutation, useImportPreviewQuery } from "../../api/imports.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { FormError, SelectField, TextField } from "../../components/Field.tsx";
import { collect, useFormErrors, validate } from "../../forms/formErrors.ts";
import { DirectorAddressFields } from "../cluster/DirectorAddressFields.tsx";
import { HostOptions } from "../hosts/HostOptions.tsx";
import { ImportFooter, PreviewState } from "./ImportParts.tsx";
import { useImportChoice } from "./useImportChoice.ts";

// The request nests the director; a missing host is named `hostId` by the preview's check.
const FIELDS = [
  "name",
  "hostId",
  "director.hostId",
  "director.dip",
  "director.interface",
  "director.vipInterface",
  "services",
] as const;

export function ImportClusterDialog({ onClose }: { onClose: () => void }) {
  const hosts = useHostsQuery();
  const errors = useFormErrors(FIELDS);
  const [hostId, setHostId] = useState("");
  const [dip, setDip] = useState("");
  // Empty, not a guessed eth0: the chosen host's interfaces are offered below the field.
  const [iface, setIface] = useState("");
  const [vipIface, setVipIface] = useState("");
  const [name, setName] = useState("");
  // The host whose table was read: the preview is of it alone.
  const [readHost, setReadHost] = useState<string | null>(null);
  const preview = useImportPreviewQuery(readHost);
  const choice = useImportChoice(preview.data);
  const create = useImportClusterMutation();
  const navigate = useNavigate();
  const formId = useId();

  const read = () => {
    if (
      !errors.check(collect({ hostId: hostId === "" ? "choose the director's host" : undefined }))
    )
      return;
    if (readHost === hostId) void preview.refetch();
    else setReadHost(hostId);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const ok = errors.check(
      collect({
        hostId: hostId === "" ? "choose the director's host" : undefined,
        "director.dip": validate(ipAddressSchema, dip),
        "director.interface": validate(interfaceNameSchema, iface),
        "director.vipInterface":
          vipIface.trim() === "" ? undefined : validate(interfaceNameSchema, vipIface),
        name: name.trim() === "" ? "is required" : undefined,
      }),
    );
    if (!ok || !preview.data) return;
    create.mutate(
      {
        name: name.trim(),
        director: {
          hostId,
          dip: dip.trim(),
          interface: iface.trim(),
          ...(vipIface.trim() === "" ? {} : { vipInterface: vipIface.trim() }),
        },
        ...(choice.all ? {} : { services: choice.chosen }),
      },
      {
        onSuccess: (result) => {
          onClose();
          navigate(`/clusters/${encodeURIComponent(result.cluster.id)}`);
        },
        onError: errors.showError,
      },
    );
  };

  const data = preview.isFetching ? undefined : preview.data;
  return (
    <Dialog
      title="Import from a director"
      size="xl"
      description="A new cluster that owns what already runs on a director, exactly as it runs: the next plan has nothing to change in its table."
      onClose={onClose}
      footer={
        <ImportFooter
          form={formId}
          count={choice.chosen.length}
          disabled={!data || choice.blockers.length > 0}
          pending={create.isPending}
          onCancel={onClose}
        />
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form ?? (hosts.isError ? hosts.error.message : null)} />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Director host"
            name="hostId"
            autoFocus
            value={hostId}
            onChange={(e) => {
              setHostId(e.target.value);
              setReadHost(null);
            }}
            error={
              errors.fields.hostId ??
              errors.fields["director.hostId"] ??
              (isApiError(preview.error, 400) ? preview.error.fields.hostId : undefined)
            }
          >
            <option value="" disabled>
              {hosts.isPending ? "Loading hosts…" : "Choose a host…"}
            </option>
            <HostOptions hosts={hosts.data} />
          </SelectField>
          <TextField
            label="Cluster name"
            name="name"
            placeholder="legacy-lb"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.fields.name}
          />
        </div>
        <DirectorAddressFields
          hostId={hostId}
          value={{ dip, iface, vipIface }}
          onChange={(next) => {
            setDip(next.dip);
            setIface(next.iface);
            setVipIface(next.vipIface);
          }}
          errors={{
            dip: errors.fields["director.dip"],
            interface: errors.fields["director.interface"],
            vipInterface: errors.fields["director.vipInterface"],
          }}
        />
        <div>
          <Button pending={preview.isFetching} onClick={read}>
            Read the director
          </Button>
        </div>
        <FormError message={errors.fields.services} />
        <PreviewState query={preview} asked={readHost !== null} choice={choice} />
      </form>
    </Dialog>
  );
}
