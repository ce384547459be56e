// Field-level schemas shared by the API (request validation) and the web forms, so both give the
// same message for the same bad value.
import ipaddr from "ipaddr.js";
import { z } from "zod";

export const PROTOCOLS = ["tcp", "udp"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const FORWARDING_METHODS = ["nat", "dr"] as const;
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

export const ipAddressSchema = z
  .string()
  .trim()
  .refine(isIpAddress, { message: "not a valid IPv4 or IPv6 address" });

export const portSchema = z
  .number({ message: "must be a whole number from 1 to 65535" })
  .int({ message: "must be a whole number from 1 to 65535" })
  .min(1, { message: "must be from 1 to 65535" })
  .max(65535, { message: "must be from 1 to 65535" });

export const weightSchema = z
  .number({ message: "must be a whole number from 0 to 65535" })
  .int({ message: "must be a whole number from 0 to 65535" })
  .min(0, { message: "must be from 0 to 65535" })
  .max(65535, { message: "must be from 0 to 65535" });

export const protocolSchema = z.enum(PROTOCOLS, { message: "must be tcp or udp" });
export const forwardingSchema = z.enum(FORWARDING_METHODS, { message: "must be nat or dr" });
export const schedulerSchema = z.enum(SCHEDULERS, {
  message: `unknown scheduler; one of ${SCHEDULERS.join(", ")}`,
});

/** Persistence timeout in seconds (`-p`); the kernel accepts 1 .. 2^31-1, operators use minutes. */
export const persistenceSchema = z
  .number({ message: "must be a whole number of seconds" })
  .int({ message: "must be a whole number of seconds" })
  .min(1, { message: "must be at least 1 second" })
  .max(2_678_400, { message: "must be at most 31 days (2678400 s)" });

/** Linux interface names: 1..15 bytes, no slash, no whitespace, not "." or "..". */
export const interfaceNameSchema = z
  .string()
  .trim()
  // No leading "-": a name like "-rf" would read as an option to the tools it is passed to.
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,14}$/, {
    message:
      "must be a Linux interface name (1-15 letters, digits, _ . : @ -, not starting with -)",
  })
  .refine((v) => v !== "." && v !== "..", { message: "not a valid interface name" });

/** A host name or address an SSH connection can target. */
export const hostAddressSchema = z
  .string()
  .trim()
  .min(1, { message: "is required" })
  .max(253, { message: "is too long" })
  .refine(
    (v) =>
      isIpAddress(v) ||
      /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
        v,
      ),
    { message: "must be an IP address or a DNS name" },
  );

/** POSIX user names as useradd accepts them. */
export const sshUsernameSchema = z
  .string()
  .trim()
  .regex(/^[a-z_][a-z0-9_.-]{0,31}$/, {
    message: "must be a Linux user name (lowercase letters, digits, _ . -; up to 32)",
  });
