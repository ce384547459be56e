// Parser for `ipvsadm-save -n` (and the rules file ipvsadm-restore reads): one ipvsadm command per
// line. The result uses the -Ln shapes so both readings convert to the model the same way.
import type { ParseError } from "./errors.ts";
import { type IpvsServiceRef, parseIpvsadmArgs } from "./ipvsadm-args.ts";
import type { ListedService } from "./list.ts";

export interface IpvsSave {
  services: ListedService[];
  errors: ParseError[];
}

export function ipvsServiceRefKey(ref: IpvsServiceRef): string {
  return ref.protocol === "fwm"
    ? `fwm|${ref.fwmark}|${ref.family}`
    : `${ref.protocol}|${ref.address}|${ref.port}`;
}

export function parseIpvsadmSave(text: string): IpvsSave {
  const result: IpvsSave = { services: [], errors: [] };
  const byKey = new Map<string, ListedService>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fail = (reason: string) => result.errors.push({ line: index + 1, text: raw, reason });
    const cmd = parseIpvsadmArgs(line.split(/\s+/));
    if (typeof cmd === "string") {
      fail(cmd);
      return;
    }
    const ref = cmd.service as IpvsServiceRef;
    const key = ipvsServiceRefKey(ref);
    if (cmd.kind === "add-service") {
      if (byKey.has(key)) {
        fail("service added twice");
        return;
      }
      const svc: ListedService = {
        protocol: ref.protocol,
        family: ref.family,
        scheduler: cmd.scheduler ?? "wlc",
        schedulerFlags: cmd.schedulerFlags ?? [],
        onePacket: false,
        realservers: [],
      };
      if (ref.address !== undefined) svc.address = ref.address;
      if (ref.port !== undefined) svc.port = ref.port;
      if (ref.fwmark !== undefined) svc.fwmark = ref.fwmark;
      if (cmd.persistence !== undefined) svc.persistence = cmd.persistence;
      if (cmd.persistenceNetmask !== undefined) svc.persistenceNetmask = cmd.persistenceNetmask;
      if (cmd.onePacket) svc.onePacket = true;
      if (cmd.persistenceEngine !== undefined) svc.persistenceEngine = cmd.persistenceEngine;
      byKey.set(key, svc);
      result.services.push(svc);
      return;
    }
    if (cmd.kind === "add-server") {
      const svc = byKey.get(key);
      if (!svc) {
        fail("realserver for a service not added before it");
        return;
      }
      const server = cmd.server as { address: string; port: number };
      svc.realservers.push({
        address: server.address,
        port: server.port,
        forwarding: cmd.forwarding ?? "dr",
        ...(cmd.tunnel !== undefined ? { tunnel: cmd.tunnel } : {}),
        weight: cmd.weight ?? 1,
        ...(cmd.upperThreshold !== undefined ? { upperThreshold: cmd.upperThreshold } : {}),
        ...(cmd.lowerThreshold !== undefined ? { lowerThreshold: cmd.lowerThreshold } : {}),
      });
      return;
    }
    fail(`ipvsadm-save only holds -A and -a lines, not ${cmd.kind}`);
  });
  return result;
}
