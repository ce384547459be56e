// Reads an ipvsadm argument vector (one `ipvsadm-save` line, or the argv of a rendered step) back
// into a typed command. Shared by the save-file parser and the plan simulator, so a rendered
// command is checked by the same reader that reads the kernel's own dump.
import { addressFamily, canonicalAddress, parseEndpoint } from "../address.ts";
import type { ListedForwarding, ListedProtocol, ListedTunnel } from "./list.ts";

export type IpvsadmCommandKind =
  | "add-service"
  | "edit-service"
  | "delete-service"
  | "add-server"
  | "edit-server"
  | "delete-server"
  | "clear";

export interface IpvsServiceRef {
  protocol: ListedProtocol;
  address?: string;
  port?: number;
  fwmark?: number;
  family: 4 | 6;
}

export interface IpvsadmCommand {
  kind: IpvsadmCommandKind;
  service?: IpvsServiceRef;
  scheduler?: string;
  schedulerFlags?: string[];
  persistence?: number;
  persistenceNetmask?: string;
  /** `-o`: one-packet scheduling (UDP), which the model does not hold. */
  onePacket?: boolean;
  /** `--pe NAME`: a persistence engine (sip), which the model does not hold. */
  persistenceEngine?: string;
  server?: { address: string; port: number };
  forwarding?: ListedForwarding;
  /** `--tun-type` and its options: what ipvsadm-save adds to every tunnel (`-i`) realserver. */
  tunnel?: ListedTunnel;
  weight?: number;
  upperThreshold?: number;
  lowerThreshold?: number;
}

const COMMANDS: Record<string, IpvsadmCommandKind> = {
  "-A": "add-service",
  "--add-service": "add-service",
  "-E": "edit-service",
  "--edit-service": "edit-service",
  "-D": "delete-service",
  "--delete-service": "delete-service",
  "-a": "add-server",
  "--add-server": "add-server",
  "-e": "edit-server",
  "--edit-server": "edit-server",
  "-d": "delete-server",
  "--delete-server": "delete-server",
  "-C": "clear",
  "--clear": "clear",
};
const FORWARD_SWITCHES: Record<string, ListedForwarding> = {
  "-m": "nat",
  "--masquerading": "nat",
  "-g": "dr",
  "--gatewaying": "dr",
  "-i": "tunnel",
  "--ipip": "tunnel",
};
const SERVICE_SWITCHES: Record<string, ListedProtocol> = {
  "-t": "tcp",
  "--tcp-service": "tcp",
  "-u": "udp",
  "--udp-service": "udp",
  "--sctp-service": "sctp",
  "-f": "fwm",
  "--fwmark-service": "fwm",
};
/** ipvsadm's default when -p is given without a timeout. */
const DEFAULT_PERSISTENCE = 300;

function wholeNumber(text: string | undefined, max: number): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n <= max ? n : null;
}

/** Parse the arguments after `ipvsadm`; returns a reason string when they do not parse. */
export function parseIpvsadmArgs(args: readonly string[]): IpvsadmCommand | string {
  let kind: IpvsadmCommandKind | undefined;
  const cmd: Partial<IpvsadmCommand> = {};
  let ipv6Fwmark = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const commandKind = COMMANDS[arg];
    if (commandKind) {
      if (kind) return `two commands: ${arg}`;
      kind = commandKind;
      continue;
    }
    const protocol = SERVICE_SWITCHES[arg];
    if (protocol) {
      if (next === undefined) return `${arg} needs a value`;
      i++;
      if (protocol === "fwm") {
        const mark = wholeNumber(next, 0xffffffff);
        if (mark === null || mark === 0) return `bad firewall mark "${next}"`;
        cmd.service = { protocol, fwmark: mark, family: 4 };
      } else {
        const ep = parseEndpoint(next);
        if (!ep) return `bad service address "${next}"`;
        cmd.service = {
          protocol,
          address: ep.address,
          port: ep.port,
          family: addressFamily(ep.address) ?? 4,
        };
      }
      continue;
    }
    const fwd = FORWARD_SWITCHES[arg];
    if (fwd) {
      cmd.forwarding = fwd;
      continue;
    }
    switch (arg) {
      case "-6":
      case "--ipv6":
        ipv6Fwmark = true;
        break;
      case "-s":
      case "--scheduler":
        if (next === undefined || !/^[a-z]+$/.test(next)) return `bad scheduler "${next ?? ""}"`;
        cmd.scheduler = next;
        i++;
        break;
      case "-b":
      case "--sched-flags":
        if (next === undefined) return "-b needs flags";
        cmd.schedulerFlags = next.split(",").filter(Boolean);
        i++;
        break;
      case "-p":
      case "--persistent": {
        // The timeout is optional on the command line, so only a number is taken as its value.
        const n = wholeNumber(next, 0x7fffffff);
        if (n !== null) i++;
        cmd.persistence = n ?? DEFAULT_PERSISTENCE;
        break;
      }
      case "-o":
      case "--ops":
        cmd.onePacket = true;
        break;
      case "--pe":
      case "--persistence-engine":
        if (next === undefined || !/^[a-z]+$/.test(next))
          return `bad persistence engine "${next ?? ""}"`;
        cmd.persistenceEngine = next;
        i++;
        break;
      case "--tun-type":
        if (next !== "ipip" && next !== "gue" && next !== "gre") {
          return `bad tunnel type "${next ?? ""}"`;
        }
        cmd.tunnel = { ...cmd.tunnel, type: next };
        i++;
        break;
      case "--tun-port": {
        const port = wholeNumber(next, 65535);
        if (port === null) return `bad tunnel port "${next ?? ""}"`;
        cmd.tunnel = { type: "ipip", ...cmd.tunnel, port };
        i++;
        break;
      }
      case "--tun-nocsum":
      case "--tun-csum":
      case "--tun-remcsum":
        cmd.tunnel = {
          type: "ipip",
          ...cmd.tunnel,
          checksum: arg.slice("--tun-".length) as "nocsum" | "csum" | "remcsum",
        };
        break;
      case "-M":
      case "--netmask":
        if (next === undefined) return "-M needs a netmask";
        cmd.persistenceNetmask = next;
        i++;
        break;
      case "-r":
      case "--real-server": {
        const ep = next === undefined ? null : parseEndpoint(next);
        if (!ep) return `bad realserver address "${next ?? ""}"`;
        cmd.server = { address: canonicalAddress(ep.address), port: ep.port };
        i++;
        break;
      }
      case "-w":
      case "--weight":
      case "-x":
      case "--u-threshold":
      case "-y":
      case "--l-threshold": {
        const n = wholeNumber(next, arg === "-w" || arg === "--weight" ? 65535 : 0xffffffff);
        if (n === null) return `bad value "${next ?? ""}" for ${arg}`;
        i++;
        if (arg === "-w" || arg === "--weight") cmd.weight = n;
        else if (arg === "-x" || arg === "--u-threshold") cmd.upperThreshold = n;
        else cmd.lowerThreshold = n;
        break;
      }
      default:
        return `unknown argument "${arg}"`;
    }
  }
  if (!kind) return "no command (-A/-E/-D/-a/-e/-d/-C)";
  if (kind !== "clear" && !cmd.service) return "no service (-t/-u/-f)";
  if (cmd.service?.protocol === "fwm" && ipv6Fwmark) cmd.service.family = 6;
  if (
    (kind === "add-server" || kind === "edit-server" || kind === "delete-server") &&
    !cmd.server
  ) {
    return "no realserver (-r)";
  }
  return { ...cmd, kind };
}
