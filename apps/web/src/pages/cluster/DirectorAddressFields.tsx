// Where a director sits on the networks: its DIP, the interface that carries it, and the outward
// NIC for NAT VIPs. The same fields set a director and import one.
import { TextField } from "../../components/Field.tsx";

export interface DirectorAddress {
  dip: string;
  iface: string;
  vipIface: string;
}

export function DirectorAddressFields({
  value,
  onChange,
  errors,
}: {
  value: DirectorAddress;
  onChange: (next: DirectorAddress) => void;
  errors: {
    dip?: string | undefined;
    interface?: string | undefined;
    vipInterface?: string | undefined;
  };
}) {
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
          value={value.iface}
          onChange={(e) => onChange({ ...value, iface: e.target.value })}
          error={errors.interface}
        />
      </div>
      <TextField
        label="Outward NIC for NAT VIPs"
        name="vipInterface"
        placeholder="Same as Interface"
        spellCheck={false}
        value={value.vipIface}
        onChange={(e) => onChange({ ...value, vipIface: e.target.value })}
        hint="Optional, for two-NIC NAT directors: the interface facing clients, e.g. eth1."
        error={errors.vipInterface}
      />
    </>
  );
}
