// fast-check generators of service and realserver INPUTS as an operator might submit them: mostly
// valid, with a bad value in some field often enough that every rule gets hit, and the values at
// the edges of each rule (IPv6 prefix lengths, non-contiguous masks, thresholds past ipvsadm's
// INT_MAX, flags of another scheduler, padded addresses).
import fc from "fast-check";

/** Each field's values: the first list valid on its own, the second not. */
function field<T>(valid: readonly T[], invalid: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) },
  );
}

export const serviceFieldValues = {
  protocol: field(["tcp", "udp", "sctp"], ["icmp", "TCP", 6]),
  vip: field(
    ["10.0.0.200", "192.168.77.100", "fd00::200", " 10.0.0.201 "],
    ["10.0.0.999", "fe80::1%eth0", "10.0.0.0/24", ""],
  ),
  port: field([80, 1, 65535], [0, 65536, 8.5, "80"]),
  scheduler: field(["rr", "wlc", "sh", "mh"], ["fastest", ""]),
  schedulerFlags: field(
    [[], ["sh-port"], ["sh-port", "sh-fallback"], ["mh-port"], ["mh-fallback", "mh-port"]],
    [["bogus"], "sh-port", [5], ["sh-port", "sh-port", "sh-port", "sh-port", "sh-port"]],
  ),
  persistence: field([null, 60, 2_678_400], [0, 2_678_401, 1.5, "60"]),
  persistenceNetmask: field(
    [null, "255.255.255.0", "255.255.0.0", "0.0.0.0", "64", "128", " 255.255.255.0 "],
    ["10.0.0.1", "255.0.255.0", "0", "129", "", 24],
  ),
  // tun with the IPv6 VIP above: a rule between two fields (TUN is IPv4 only).
  forwarding: field(["nat", "dr", "tun"], ["local", "TUN", null]),
};

export const realServerFieldValues = {
  address: field(["10.0.0.11", "10.0.0.12", " 10.0.0.13 "], ["10.0.0.999", "fd00::11%1", ""]),
  port: field([80, 8080, 65535], [0, 65536, 1.5]),
  weight: field([0, 1, 65535], [65536, -1, 2.5]),
  enabled: field([true, false], ["yes", 1]),
  upperThreshold: field(
    [0, 10, 65_535, 65_536, 2_147_483_647],
    [2_147_483_648, 4_294_967_295, -1, 1.5],
  ),
  lowerThreshold: field([0, 5, 20, 65_536, 2_147_483_647], [2_147_483_648, -1, 0.5]),
};

const REQUIRED_SERVICE_FIELDS = ["protocol", "vip", "port", "scheduler", "forwarding"] as const;
const REQUIRED_REALSERVER_FIELDS = ["address", "port"] as const;

/** A required field to leave out, once in a dozen inputs; null for none. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 11, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

/** A service input; optional fields are sometimes left out, required ones rarely. */
export const serviceInput: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(serviceFieldValues, {
      requiredKeys: [...REQUIRED_SERVICE_FIELDS],
    }),
    rarely(fc.constantFrom(...REQUIRED_SERVICE_FIELDS)),
  )
  .map(([input, dropped]) => {
    if (dropped === null) return input;
    const { [dropped]: _dropped, ...rest } = input;
    return rest;
  });

/** A realserver input, as serviceInput. */
export const realServerInput: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(realServerFieldValues, { requiredKeys: [...REQUIRED_REALSERVER_FIELDS] }),
    rarely(fc.constantFrom(...REQUIRED_REALSERVER_FIELDS)),
  )
  .map(([input, dropped]) => {
    if (dropped === null) return input;
    const { [dropped]: _dropped, ...rest } = input;
    return rest;
  });

/** A PATCH body: a few fields, never null where the field takes no null (absent is the "keep"). */
export function patchOf(
  values: Record<string, fc.Arbitrary<unknown>>,
  nullable: readonly string[],
): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(values);
  return fc
    .subarray(keys, { minLength: 1, maxLength: 3 })
    .chain((picked) =>
      fc.record(
        Object.fromEntries(
          picked.map((key) => [
            key,
            nullable.includes(key)
              ? (values[key] as fc.Arbitrary<unknown>)
              : (values[key] as fc.Arbitrary<unknown>).filter((v) => v !== null),
          ]),
        ),
      ),
    );
}
