// Where a director sits on the networks: its DIP, the interface that carries it, and the outward
// NIC for NAT VIPs. The same fields set a director and import one. With the director's host
// chosen, its interfaces and addresses are read over SSH and offered as buttons: picking one fills
// the interface and the DIP. The fields stay plain text boxes, for a host that cannot be reached.
import { type Family, isIpAddress } from "@lvs-panel/lvs";
import { useHostInterfacesQuery } from "../../api/hosts.ts";
import type { HostInterfaces } from "../../api/types.ts";
import { TextField } from "../../components/Field.tsx";
import { Spinner } from "../../components/Spinner.tsx";

export interface DirectorAddress {
  dip: string;
  iface: string;
  vipIface: string;
}

/** Loopback and link-local addresses are never a DIP. */
function usableAddress(address: string, family: Family): boolean {
  if (family === 4) return !address.startsWith("127.");
  return address !== "::1" && !/^fe[89ab]/i.test(address);
}

/** The interfaces worth offering: not `lo`, each with the addresses that could be a DIP. */
function offered(interfaces: HostInterfaces) {
  return interfaces
    .filter((i) => i.name !== "lo")
    .map((i) => ({
      name: i.name,
      addresses: i.addresses.filter((a) => usableAddress(a.address, a.family)),
    }));
}

export function DirectorAddressFields({
  hostId,
  value,
  onChange,
  errors,
}: {
  /** The director's host: its interfaces are read and offered. */
  hostId?: string | undefined;
  value: DirectorAddress;
  onChange: (next: DirectorAddress) => void;
  errors: {
    dip?: string | undefined;
    interface?: string | undefined;
    vipInterface?: string | undefined;
  };
}) {
  const interfaces = useHostInterfacesQuery(hostId || undefined);
  const choices = interfaces.data ? offered(interfaces.data) : [];
  const names = choices.map((c) => c.name);
  const unknown = (name: string) =>
    interfaces.data && name.trim() !== "" && !interfaces.data.some((i) => i.name === name.trim());
  const notOnHost = `not an interface of this host (it has ${names.join(", ") || "none besides lo"})`;

  return (
    <>
      <div className="grid gap-4 sm:grid-cols-[1fr_9rem]">
        <TextField
          label="DIP"
          name="dip"
          placeholder="10.0.0.1"
          spellCheck={false}
          value={value.dip}
          onChange={(e) => onChange({ ...value, dip: e.target.value })}
          error={errors.dip}
        />
        <TextField
          label="Interface"
          name="interface"
          placeholder="eth0"
          spellCheck={false}
          autoComplete="off"
          value={value.iface}
          onChange={(e) => onChange({ ...value, iface: e.target.value })}
          hint={unknown(value.iface) ? notOnHost : undefined}
          error={errors.interface}
        />
      </div>
      {hostId ? (
        <HostInterfaceChoices
          state={
            interfaces.isPending
              ? { kind: "reading" }
              : interfaces.isError
                ? { kind: "failed", message: interfaces.error.message }
                : { kind: "read", choices }
          }
          current={value}
          onPick={(iface, dip) => onChange({ ...value, iface, dip: dip ?? value.dip })}
        />
      ) : null}
      <TextField
        label="Outward NIC for NAT VIPs"
        name="vipInterface"
        placeholder="Same as Interface"
        spellCheck={false}
        autoComplete="off"
        value={value.vipIface}
        onChange={(e) => onChange({ ...value, vipIface: e.target.value })}
        hint={
          unknown(value.vipIface)
            ? notOnHost
            : "Optional, for two-NIC NAT directors: the interface facing clients, e.g. eth1."
        }
        error={errors.vipInterface}
      />
    </>
  );
}

type ChoicesState =
  | { kind: "reading" }
  | { kind: "failed"; message: string }
  | { kind: "read"; choices: ReturnType<typeof offered> };

/** The host's interfaces as buttons: an address sets the interface and the DIP at once. */
function HostInterfaceChoices({
  state,
  current,
  onPick,
}: {
  state: ChoicesState;
  current: DirectorAddress;
  onPick: (iface: string, dip?: string) => void;
}) {
  if (state.kind === "reading") {
    return (
      <p role="status" className="-mt-2 flex items-center gap-2 text-xs text-slate-500">
        <Spinner className="size-3.5" /> Reading the host's interfaces…
      </p>
    );
  }
  if (state.kind === "failed") {
    return (
      <p className="-mt-2 text-xs text-amber-700">
        Could not read the host's interfaces ({state.message}). Type the interface name.
      </p>
    );
  }
  if (state.choices.length === 0) {
    return <p className="-mt-2 text-xs text-slate-500">The host has no interface besides lo.</p>;
  }
  return (
    <fieldset className="-mt-2">
      <legend className="mb-1.5 text-xs font-medium text-slate-600">
        Interfaces on this host: pick the one on the realservers' network
      </legend>
      <div className="flex flex-wrap gap-1.5">
        {state.choices.flatMap((c) => {
          const entries =
            c.addresses.length > 0
              ? c.addresses.map((a) => ({
                  label: `${c.name} ${a.address}/${a.prefix}`,
                  dip: a.address,
                }))
              : [{ label: `${c.name} (no address)`, dip: undefined }];
          return entries.map((e) => {
            const chosen =
              current.iface === c.name && (e.dip === undefined || current.dip === e.dip);
            return (
              <button
                key={e.label}
                type="button"
                aria-pressed={chosen}
                onClick={() =>
                  onPick(c.name, e.dip !== undefined && isIpAddress(e.dip) ? e.dip : undefined)
                }
                className={`rounded-md px-2 py-1 font-mono text-xs ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                  chosen
                    ? "bg-indigo-50 text-indigo-800 ring-indigo-300"
                    : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"
                }`}
              >
                {e.label}
              </button>
            );
          });
        })}
      </div>
    </fieldset>
  );
}
