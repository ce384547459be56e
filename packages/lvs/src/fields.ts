// Field-level schemas shared by the API (request validation) and the web forms, so both give the
// same message for the same bad value.
import ipaddr from "ipaddr.js";
import { z } from "zod";

export const PROTOCOLS = ["tcp", "udp", "sctp"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** NAT (masquerading, `-m`), direct routing (`-g`), IP-in-IP tunnelling (`-i`; IPv4 only here). */
export const FORWARDING_METHODS = ["nat", "dr", "tun"] as const;
export type Forwarding = (typeof FORWARDING_METHODS)[number];

/** Every IPVS scheduler of a 6.x kernel. */
export const SCHEDULERS = [
  "rr",
  "wrr",
  "lc",
  "wlc",
  "lblc",
  "lblcr",
  "dh",
  "sh",
  "sed",
  "nq",
  "fo",
  "ovf",
  "mh",
] as const;
export type Scheduler = (typeof SCHEDULERS)[number];

/** Scheduler flags (`-b`) the kernel accepts, by scheduler. */
export const SCHEDULER_FLAGS = {
  sh: ["sh-fallback", "sh-port"],
  mh: ["mh-fallback", "mh-port"],
} as const satisfies Partial<Record<Scheduler, readonly string[]>>;

/** True for a plain IPv4 dotted quad or an IPv6 address (no zone, no prefix). */
export function isIpAddress(value: string): boolean {
  if (value.includes("%") || value.includes("/")) return false;
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return true;
  return ipaddr.IPv6.isValid(value);
}

/** Text, worded as the API words it even where zod's messages are not configured (the browser). */
function text(wrongType: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? "is required" : wrongType) });
}

export const ipAddressSchema = text("must be text")
  .trim()
  .refine(isIpAddress, { message: "must be an IPv4 or IPv6 address" });

export const portSchema = z
  .number({ message: "must be a whole number from 1 to 65535" })
  .int({ message: "must be a whole number from 1 to 65535" })
  .min(1, { message: "must be from 1 to 65535" })
  .max(65535, { message: "must be from 1 to 65535" });

/** A firewall mark (`ipvsadm -f`), as iptables sets it on packets. */
export const fwmarkSchema = z
  .number({ message: "must be a whole number from 1 to 4294967295" })
  .int({ message: "must be a whole number from 1 to 4294967295" })
  .min(1, { message: "must be from 1 to 4294967295" })
  .max(4294967295, { message: "must be from 1 to 4294967295" });

export const weightSchema = z
  .number({ message: "must be a whole number from 0 to 65535" })
  .int({ message: "must be a whole number from 0 to 65535" })
  .min(0, { message: "must be from 0 to 65535" })
  .max(65535, { message: "must be from 0 to 65535" });

/**
 * Connection thresholds (`-x`/`-y`), 0 meaning no limit. The kernel keeps them as u32, but ipvsadm
 * parses them with string_to_number(optarg, 0, INT_MAX) and refuses anything larger ("illegal
 * u_threshold specified"), so 2^31-1 is the most an apply can set.
 */
export const MAX_THRESHOLD = 2_147_483_647;

export const thresholdSchema = z
  .number({ message: `must be a whole number from 0 to ${MAX_THRESHOLD}` })
  .int({ message: `must be a whole number from 0 to ${MAX_THRESHOLD}` })
  .min(0, { message: `must be from 0 to ${MAX_THRESHOLD}` })
  .max(MAX_THRESHOLD, { message: `must be from 0 to ${MAX_THRESHOLD}` });

export const enabledSchema = z.boolean({ message: "must be true or false" });

export const protocolSchema = z.enum(PROTOCOLS, { message: "must be tcp, udp or sctp" });
export const forwardingSchema = z.enum(FORWARDING_METHODS, { message: "must be nat, dr or tun" });
export const schedulerSchema = z.enum(SCHEDULERS, {
  message: `must be one of ${SCHEDULERS.join(", ")}`,
});

/** Persistence timeout in seconds (`-p`); the kernel accepts 1 .. 2^31-1, operators use minutes. */
export const persistenceSchema = z
  .number({ message: "must be a whole number of seconds" })
  .int({ message: "must be a whole number of seconds" })
  .min(1, { message: "must be at least 1 second" })
  .max(2_678_400, { message: "must be at most 31 days (2678400 s)" });

/**
 * Scheduler flags (`-b`) as submitted; which flags a scheduler takes is a rule between two fields
 * (input-rules.ts). The bounds only keep junk out: no scheduler has more than two flags.
 */
export const schedulerFlagsSchema = z
  .array(
    z
      .string({ message: "must be a list of flag names" })
      .max(32, { message: "must be a flag name of at most 32 characters" }),
    { message: "must be a list of flag names" },
  )
  .max(4, { message: "must have at most 4 flags" });

/**
 * Persistence granularity (`-M`): a dotted mask for an IPv4 service, a prefix length for an IPv6
 * one. Which of the two is a rule between this field and the VIP (input-rules.ts).
 */
export const persistenceNetmaskSchema = text(
  "must be a netmask such as 255.255.255.0, or a prefix length for IPv6",
).trim();

/** Linux interface names: 1..15 bytes, no slash, no whitespace, not "." or "..". */
const INTERFACE_NAME_RULE =
  "must be a Linux interface name (1-15 letters, digits, _ . : @ -, not starting with -, not . or ..)";

export const interfaceNameSchema = z
  .string()
  .trim()
  // No leading "-": a name like "-rf" would read as an option to the tools it is passed to.
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,14}$/, { message: INTERFACE_NAME_RULE })
  // The kernel refuses "." and ".." (dev_valid_name): they name directories under /sys/class/net.
  .refine((v) => v !== "." && v !== "..", { message: INTERFACE_NAME_RULE });

const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `value` is neither an IP address nor a DNS host name (RFC 1123 labels), or null when it is
 * one. A name whose last label is all digits is refused (RFC 3696 §2: no top-level domain is), so
 * `999.1.1.1` or `10.0.0` is a mistyped IPv4 address, not a name to look up and fail on later.
 */
export function hostAddressProblem(value: string): string | null {
  if (isIpAddress(value)) return null;
  const labels = value.split(".");
  if (/^[0-9.]+$/.test(value)) {
    return "is not a valid IPv4 address (four numbers from 0 to 255, like 192.0.2.10)";
  }
  if (value.length > 253 || !labels.every((label) => DNS_LABEL.test(label))) {
    return "must be an IP address or a DNS name (letters, digits and -, dot-separated)";
  }
  if (/^[0-9]+$/.test(labels.at(-1) ?? "")) {
    return "must be an IP address or a DNS name (a name cannot end in a number)";
  }
  return null;
}

/** A host name or address an SSH connection can target: an IPv4/IPv6 address or a DNS name. */
export const hostAddressSchema = z
  .string()
  .trim()
  .min(1, { message: "is required" })
  .max(253, { message: "is too long" })
  .superRefine((value, ctx) => {
    const problem = hostAddressProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A pinned SSH host key: `SHA256:<43 base64 characters>`, as `ssh-keygen -lf` prints it. */
export const hostKeyFingerprintSchema = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, { message: "must look like SHA256:<43 base64 characters>" });

/** POSIX user names as useradd accepts them. */
export const sshUsernameSchema = z
  .string()
  .trim()
  .regex(/^[a-z_][a-z0-9_.-]{0,31}$/, {
    message: "must be a Linux user name (lowercase letters, digits, _ . -; up to 32)",
  });
