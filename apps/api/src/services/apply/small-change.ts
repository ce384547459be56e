// A small change: the plan edits a few services of the director's IPVS table, services there
// before and after (a weight, a drain, a realserver added, removed or re-enabled, a scheduler),
// and rewrites /etc/ipvsadm.rules; nothing else, on no other host. Its runtime read-back lists
// only those services (`ipvsadm -Ln -t VIP:port`) instead of the whole table: the rest of the
// table is the snapshot's, which the snapshot read (or the generation check) vouches for.
// Anything larger, on the keepalived engine, with thresholds (`ipvsadm -S`, and so the
// director's generation check, leaves them out) or around unreachable hosts keeps the whole
// read-back.
import {
  IPVSADM_RULES_FILE,
  type IpvsServiceRef,
  type ListedService,
  listedOwnershipKey,
  listedServiceArgs,
  ownershipKey,
  type Plan,
  parseIpvsadmArgs,
  parseIpvsadmList,
  type ServiceSpec,
  servicesFromListing,
} from "@lvs-panel/lvs";
import type { DirectorEngine } from "./engine/director-engine.ts";
import type { Read } from "./read-script.ts";
import type { HostReading } from "./read-state.ts";

/** More services than this read back faster as one whole table than one listing each. */
export const SMALL_CHANGE_MAX_SERVICES = 8;

export interface TouchedService {
  /** The ownership key (`tcp|10.0.0.1|80`, `fwm|7|4`). */
  key: string;
  /** What names it to ipvsadm: `-t VIP:port`, `-u …`, `--sctp-service …`, `-f mark [-6]`. */
  args: string[];
}

export interface SmallChange {
  services: TouchedService[];
}

// Commands that leave the service itself in place: -A and -D (and -C) make the change large.
const IN_PLACE = new Set(["edit-service", "add-server", "edit-server", "delete-server"]);

/**
 * The services a plan touches when it is a small change, or null when it is not.
 * @param director the director's reading the plan starts from (its table as listed).
 */
export function smallChangeOf(
  engine: Pick<DirectorEngine, "id">,
  plan: Pick<Plan, "steps" | "errors">,
  director: Pick<HostReading, "listed"> | undefined,
  opts: { readThresholds: boolean; unreachableHosts: number },
): SmallChange | null {
  if (engine.id !== "ipvsadm" || opts.readThresholds || opts.unreachableHosts > 0) return null;
  if (plan.errors.length > 0 || plan.steps.length === 0 || !director?.listed) return null;
  const listed = new Set(director.listed.map(listedOwnershipKey));
  const touched = new Map<string, TouchedService>();
  for (const step of plan.steps) {
    if (step.host !== "director") return null;
    if (step.op.kind === "file") {
      if (step.op.action !== "write" || step.op.path !== IPVSADM_RULES_FILE) return null;
      continue;
    }
    if (step.op.kind !== "ipvsadm" || step.argv?.[0] !== "ipvsadm") return null;
    const cmd = parseIpvsadmArgs(step.argv.slice(1));
    if (typeof cmd === "string" || !IN_PLACE.has(cmd.kind) || !cmd.service) return null;
    const service = touchedService(cmd.service);
    if (!listed.has(service.key)) return null;
    touched.set(service.key, service);
    if (touched.size > SMALL_CHANGE_MAX_SERVICES) return null;
  }
  return touched.size > 0 ? { services: [...touched.values()] } : null;
}

function touchedService(ref: IpvsServiceRef): TouchedService {
  return { key: listedOwnershipKey(ref), args: listedServiceArgs(ref) };
}

/** The read-back: one listing per touched service (a service that is gone fails its read). */
export function touchedServiceReads(change: SmallChange): Read[] {
  return change.services.map((s, i) => ({
    id: `service:${i}`,
    argv: ["ipvsadm", "-Ln", ...s.args],
  }));
}

/**
 * The director as the read-back shows it: the snapshot's reading with the touched services
 * replaced by their listings (dropped when not listed), everything else as the snapshot holds it.
 */
export function withTouchedServices(
  snapshot: HostReading,
  change: SmallChange,
  outputs: ReadonlyMap<string, string | null>,
): HostReading {
  const parseErrors = [...snapshot.parseErrors];
  const fresh = new Map<string, ListedService | null>();
  change.services.forEach((s, i) => {
    const text = outputs.get(`service:${i}`);
    if (text === undefined) throw new Error(`the read-back of ${s.args.join(" ")} did not run`);
    const list = text === null ? null : parseIpvsadmList(text);
    for (const e of list?.errors ?? []) {
      parseErrors.push(`ipvsadm -Ln ${s.args.join(" ")}:${e.line}: ${e.reason}`);
    }
    fresh.set(s.key, list?.services.find((ls) => listedOwnershipKey(ls) === s.key) ?? null);
  });
  const listed = (snapshot.listed ?? []).flatMap((ls) => {
    const key = listedOwnershipKey(ls);
    if (!fresh.has(key)) return [ls];
    const now = fresh.get(key);
    return now ? [now] : [];
  });
  const services = (snapshot.services ?? []).flatMap((spec): ServiceSpec[] => {
    const key = ownershipKey(spec);
    if (!fresh.has(key)) return [spec];
    const now = fresh.get(key);
    return now ? servicesFromListing([now]).services : [];
  });
  // The sums were of the table before the change: they no longer describe this reading.
  const { generation: _before, ...rest } = snapshot;
  return { ...rest, listed, services, parseErrors };
}
