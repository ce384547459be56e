// Importing a director's live table into a cluster: every service the model can hold exactly is
// imported, everything else is refused whole, with the reason. A service is never half-imported:
// dropping one realserver or one flag would make the panel's first apply change it.

import { mergeThresholds, servicesFromListing } from "../live.ts";
import type { ServiceSpec } from "../model.ts";
import { normalizeService } from "../normalize.ts";
import type { IpvsList, ListedService } from "../parse/list.ts";
import { serviceLabel } from "../plan/ipvs-diff.ts";
import { listedLabel, ownershipKey } from "../plan/ownership.ts";
import { validateCluster } from "../validate.ts";

export interface ImportRefusal {
  /** The service as the live view names it: "TCP 10.0.0.1:80", "FWM 7". */
  service: string;
  reason: string;
}

export interface TableImport {
  services: ServiceSpec[];
  refused: ImportRefusal[];
}

/** keepalived's configuration of the same director, parsed (parseKeepalivedConf). */
export interface KeepalivedConfImport {
  services: ServiceSpec[];
  refused: ImportRefusal[];
}

/** What the model cannot hold about a listed service, in plain words; null: nothing. */
function unrepresentable(ls: ListedService): string | null {
  if (ls.onePacket) return "one-packet scheduling (ipvsadm -o) is not supported";
  if (ls.persistenceEngine) {
    return `the persistence engine ${ls.persistenceEngine} (ipvsadm --pe) is not supported`;
  }
  return null;
}

/**
 * @param listed the table as `ipvsadm -S -n` lists it.
 * @param thresholds `ipvsadm -Ln --thresholds`, whose limits the save format leaves out.
 */
export function importTable(listed: readonly ListedService[], thresholds?: IpvsList): TableImport {
  const services: ServiceSpec[] = [];
  const refused: ImportRefusal[] = [];
  for (const ls of listed) {
    const service = listedLabel(ls);
    const special = unrepresentable(ls);
    if (special) {
      refused.push({ service, reason: special });
      continue;
    }
    const live = servicesFromListing([ls]);
    const [spec] = thresholds ? mergeThresholds(live.services, thresholds) : live.services;
    if (live.issues.length > 0 || !spec) {
      refused.push({ service, reason: live.issues.map((i) => i.message).join("; ") });
      continue;
    }
    const mixed = spec.realservers.find((rs) => rs.forwarding !== undefined);
    if (mixed) {
      refused.push({
        service,
        reason: `its realservers use different forwarding methods (${spec.forwarding.toUpperCase()} and ${mixed.forwarding?.toUpperCase()}): the panel keeps one method per service`,
      });
      continue;
    }
    const { errors } = validateCluster({ director: null, services: [spec] });
    if (errors.length > 0) {
      refused.push({ service, reason: errors.map((e) => e.message).join("; ") });
      continue;
    }
    services.push(spec);
  }
  return { services, refused };
}

/**
 * A director run by keepalived: its configuration is what the cluster takes (health checks, the
 * configured weights, which the table shows under the health state), for every service it
 * configures; a service in the table that keepalived.conf does not configure is refused.
 */
export function importUnderKeepalived(table: TableImport, conf: KeepalivedConfImport): TableImport {
  const configured = new Map(conf.services.map((s) => [ownershipKey(s), s]));
  const confRefused = new Set(conf.refused.map((r) => r.service));
  const refused: ImportRefusal[] = [...conf.refused];
  for (const s of table.services) {
    const label = serviceLabel(normalizeService(s));
    if (configured.has(ownershipKey(s)) || confRefused.has(label)) continue;
    refused.push({
      service: label,
      reason:
        "it is in the IPVS table but not in keepalived.conf: keepalived does not manage it, so a keepalived cluster cannot own it",
    });
  }
  for (const r of table.refused) if (!confRefused.has(r.service)) refused.push(r);
  return { services: [...configured.values()], refused };
}
