// Which services an import takes: those named (by the plan's labels, "TCP 10.0.0.1:80"), or all;
// a name that cannot be had is a 400 with the reason. Taking over the operator's keepalived.conf
// takes every service it configures, or none.
import type { ImportRefusal, ServiceSpec } from "@lvs-panel/lvs";
import { badField, conflict } from "../errors.ts";
import type { DirectorImportRead } from "./director-read.ts";

export interface ImportedService {
  service: string;
  spec: ServiceSpec;
}

export interface ImportPreview {
  engine: DirectorImportRead["engine"];
  services: ImportedService[];
  refused: ImportRefusal[];
  adjusted: DirectorImportRead["adjusted"];
  /** The operator's keepalived.conf the import takes over (its sha256), if any. */
  keepalivedConfSha256: string | null;
  /** Why that file cannot be taken over (director-read.ts); empty: it can. */
  blockers: string[];
}

/** The chosen services by label (all when none are named); a label that cannot be had is a 400. */
export function choose(found: ImportPreview, labels: string[] | undefined): ImportedService[] {
  const chosen = labels === undefined ? found.services : chooseByLabel(found, labels);
  if (found.keepalivedConfSha256 === null) return chosen;
  // Taking over the operator's keepalived.conf means writing it anew: nothing in it may be lost.
  if (found.blockers.length > 0) {
    throw conflict(
      `keepalived.conf cannot be taken over: the panel rewrites the file whole and cannot write back ${found.blockers.join("; ")}`,
      {},
    );
  }
  if (chosen.length < found.services.length) {
    throw badField(
      "services",
      `keepalived.conf configures ${found.services.length} services and the panel rewrites the file whole: import all of them (${found.services.map((s) => s.service).join(", ")})`,
    );
  }
  return chosen;
}

function chooseByLabel(found: ImportPreview, labels: string[]): ImportedService[] {
  return labels.map((label, i) => {
    const wanted = normalizeLabel(label);
    const hit = found.services.find((s) => normalizeLabel(s.service) === wanted);
    if (hit) return hit;
    const refusal = found.refused.find((r) => normalizeLabel(r.service) === wanted);
    throw badField(
      `services[${i}]`,
      refusal
        ? `${label} cannot be imported: ${refusal.reason}`
        : `${label} is not on the director`,
    );
  });
}

/** "tcp 10.0.0.1:80" and "TCP 10.0.0.1:80" name one service. */
function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, " ").toUpperCase();
}
