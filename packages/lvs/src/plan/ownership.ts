// Which services on a director's IPVS table a cluster may change. A director often carries services
// the panel never created (written by hand, by scripts, by another cluster of the panel); an apply
// must leave them byte for byte alone. What a cluster owns is recorded by the caller (services it
// created or imported), never guessed from the table: a service that merely looks like the
// cluster's is still foreign. Kept services are carried as the director listed them, so even what
// the model cannot hold (SCTP, tunnel forwarding, -o, --pe) survives in /etc/ipvsadm.rules.
import { addressFamily, canonicalAddress } from "../address.ts";
import type { Issue, ServiceSpec } from "../model.ts";
import { normalizeService } from "../normalize.ts";
import type { ListedService } from "../parse/list.ts";
import { renderListedSave } from "../render/listed-save.ts";
import { normalizedServiceKey, serviceLabel } from "./ipvs-diff.ts";

export interface Ownership {
  /** Keys (ownershipKey) of the services this cluster created or imported on this director. */
  owned: ReadonlySet<string>;
  /** Keys owned by the panel's other clusters on the same director, with the cluster's name. */
  others: ReadonlyMap<string, string>;
  /** The operator chose to take the director over: services no cluster owns become this one's. */
  removeForeign?: boolean;
}

/** A service on the director that this cluster leaves alone. */
export interface KeptService {
  key: string;
  /** As the live view names it: "TCP 10.0.0.1:80", "FWM 7". */
  label: string;
  /** The panel's cluster that owns it; null: no cluster does (foreign to the panel). */
  owner: string | null;
  /** Its VIP (null for a mark service, which the kernel lists without one). */
  vip: string | null;
  /** The address families in which it forwards with NAT (the director must keep forwarding). */
  natFamilies: (4 | 6)[];
  /** Its lines in `ipvsadm -S -n` format. */
  saveLines: string[];
}

/** The key ownership is recorded under: the plan's key of the normalized service. */
export function ownershipKey(service: ServiceSpec): string {
  return normalizedServiceKey(normalizeService(service));
}

/** What names a service as the director lists it (a listing, or an ipvsadm command's service). */
export type ListedServiceRef = Pick<
  ListedService,
  "protocol" | "address" | "port" | "fwmark" | "family"
>;

/** The same key for a service as the director lists it. */
export function listedOwnershipKey(ls: ListedServiceRef): string {
  if (ls.protocol === "fwm") return `fwm|${ls.fwmark ?? 0}|${ls.family}`;
  return `${ls.protocol}|${canonicalAddress(ls.address ?? "")}|${ls.port ?? 0}`;
}

export function listedLabel(ls: ListedServiceRef): string {
  if (ls.protocol === "fwm") return `FWM ${ls.fwmark ?? 0}${ls.family === 6 ? " IPv6" : ""}`;
  const address = canonicalAddress(ls.address ?? "");
  const endpoint = addressFamily(address) === 6 ? `[${address}]` : address;
  return `${ls.protocol.toUpperCase()} ${endpoint}:${ls.port ?? 0}`;
}

function kept(ls: ListedService, owner: string | null): KeptService {
  const vip = ls.address === undefined ? null : canonicalAddress(ls.address);
  const nat = ls.realservers.some((rs) => rs.forwarding === "nat");
  return {
    key: listedOwnershipKey(ls),
    label: listedLabel(ls),
    owner,
    vip,
    natFamilies: nat ? [ls.family] : [],
    saveLines: renderListedSave(ls),
  };
}

export interface PartitionedTable {
  /** Keys of the services the plan may change: owned ones, and foreign ones taken over. */
  managed: ReadonlySet<string>;
  kept: KeptService[];
  /** Labels of the foreign services that `removeForeign` hands to the plan. */
  takenOver: string[];
}

export function partitionTable(listed: readonly ListedService[], own: Ownership): PartitionedTable {
  const managed = new Set<string>();
  const keptServices: KeptService[] = [];
  const takenOver: string[] = [];
  for (const ls of listed) {
    const key = listedOwnershipKey(ls);
    if (own.owned.has(key)) {
      managed.add(key);
      continue;
    }
    const owner = own.others.get(key) ?? null;
    if (owner === null && own.removeForeign) {
      managed.add(key);
      takenOver.push(listedLabel(ls));
      continue;
    }
    keptServices.push(kept(ls, owner));
  }
  return { managed, kept: keptServices, takenOver };
}

/** The services of a table (as the model holds them) that the partition lets the plan change. */
export function managedServices(
  services: readonly ServiceSpec[],
  part: PartitionedTable,
): ServiceSpec[] {
  return services.filter((s) => part.managed.has(ownershipKey(s)));
}

/**
 * A desired service that is already on the director under someone else: planning it would edit a
 * service this cluster does not own. The operator imports it, or takes the director over.
 */
export function ownershipConflicts(
  desired: readonly ServiceSpec[],
  keptServices: readonly KeptService[],
): Issue[] {
  if (keptServices.length === 0) return [];
  const keptByKey = new Map(keptServices.map((k) => [k.key, k]));
  const issues: Issue[] = [];
  desired.forEach((service, i) => {
    const k = keptByKey.get(ownershipKey(service));
    if (!k) return;
    const label = serviceLabel(normalizeService(service));
    issues.push({
      code: k.owner === null ? "SERVICE_NOT_OWNED" : "SERVICE_OWNED_ELSEWHERE",
      field: `services[${i}]`,
      message:
        k.owner === null
          ? `${label} is already on the director and this cluster does not manage it: import it into this cluster, or apply with "remove services this cluster does not manage"`
          : `${label} is on the director and belongs to cluster "${k.owner}": a service can belong to one cluster only`,
    });
  });
  return issues;
}
