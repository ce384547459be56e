// keepalived as the director's engine: it owns the IPVS table and health-checks the realservers;
// the panel renders its configuration, has keepalived check it on the director, and reloads it
// (planKeepalived in @lvs-panel/lvs says which steps). The table is read back with ipvsadm, as
// for the ipvsadm engine, together with keepalived's pid and live configuration.
import { createHash } from "node:crypto";
import {
  parseKeepalivedStatus,
  planKeepalived,
  renderKeepalivedStatusRead,
  restoreKeepalived,
} from "@lvs-panel/lvs";
import type { DirectorEngine, EngineTable } from "./director-engine.ts";
import { IPVSADM_PREFLIGHT, ipvsadmEngine } from "./ipvsadm-engine.ts";

// keepalived 2.2.7 shuts down entirely (VRRP included) when IPVS fails to initialise, so the
// module must be usable before keepalived is handed anything.
const PREFLIGHT = [
  IPVSADM_PREFLIGHT,
  'command -v keepalived >/dev/null || { echo "keepalived is not installed (Debian: apt-get install keepalived)"; exit 3; }',
].join("\n");

/**
 * @param adoptedConfSha256 the operator's keepalived.conf a cluster imported (its sha256): that
 *   file, and no other the panel did not write, may be replaced by the panel's own rendering.
 */
export function keepalivedEngineAdopting(adoptedConfSha256: string | null): DirectorEngine {
  return {
    id: "keepalived",
    preflight: PREFLIGHT,
    tableReads: (opts) => [
      ...ipvsadmEngine.tableReads(opts),
      { id: "keepalived", shell: renderKeepalivedStatusRead() },
    ],
    parseTable(outputs): EngineTable {
      const status = parseKeepalivedStatus(outputs.get("keepalived"));
      const adopted =
        status.foreignConf &&
        status.text !== null &&
        adoptedConfSha256 !== null &&
        createHash("sha256").update(status.text, "utf8").digest("hex") === adoptedConfSha256;
      return {
        ...ipvsadmEngine.parseTable(outputs),
        keepalived: adopted ? { ...status, conf: status.text, foreignConf: false } : status,
      };
    },
    plan: (current, desired, options = {}) => planKeepalived(current, desired, options),
    restore: (current, snapshot, options = {}) => restoreKeepalived(current, snapshot, options),
    settles: true,
  };
}
