// The panel as the director's engine: it edits the kernel table with ipvsadm, in place (-E/-e)
// so unchanged realservers keep their connections, and persists it as /etc/ipvsadm.rules.
import {
  listedOwnershipKey,
  mergeThresholds,
  parseIpvsadmList,
  parseIpvsadmSave,
  parseKeepalivedStatus,
  planCluster,
  planTransition,
  renderKeepalivedStatusRead,
  type ServiceSpec,
  servicesFromListing,
  withKeepalivedStopped,
} from "@lvs-panel/lvs";
import type { DirectorEngine, EngineTable } from "./director-engine.ts";

// ipvsadm loads ip_vs itself; listing the timeouts proves the module is there and usable.
// modprobe only when IPVS is not loaded yet: on a slow host it costs seconds even as a no-op.
// Once IPVS is loaded the snapshot's own `ipvsadm -S` proves ipvsadm works: no extra process.
export const IPVSADM_PREFLIGHT = [
  'for c in ipvsadm ip sysctl sha256sum; do command -v "$c" >/dev/null || { echo "$c is not installed"; exit 3; }; done',
  'if [ -e /proc/net/ip_vs ]; then true; else modprobe ip_vs 2>/dev/null; ipvsadm -Ln --timeout >/dev/null 2>&1 || { echo "IPVS is not available: the ip_vs kernel module cannot be loaded"; exit 4; }; fi',
].join("\n");

export const ipvsadmEngine: DirectorEngine = {
  id: "ipvsadm",
  preflight: IPVSADM_PREFLIGHT,

  tableReads: ({ thresholds }) => [
    // What `ipvsadm-save -n` prints: that is a bash script around `ipvsadm -S`, and starting
    // bash costs ~100 ms on a slow host, twice per apply (snapshot and read-back).
    { id: "ipvsadm-save", argv: ["ipvsadm", "-S", "-n"] },
    // ipvsadm-save leaves thresholds out: a second listing, only when they matter.
    ...(thresholds ? [{ id: "ipvsadm-thresholds", argv: ["ipvsadm", "-Ln", "--thresholds"] }] : []),
    // A keepalived the panel started for the keepalived engine must stop before ipvsadm edits
    // its table again (a cluster switched back); shell builtins only when there is none.
    { id: "keepalived", shell: renderKeepalivedStatusRead() },
  ],

  parseTable(outputs): EngineTable {
    const save = outputs.get("ipvsadm-save");
    if (save === null || save === undefined) {
      throw new Error(
        "could not read the IPVS table (ipvsadm -S -n failed): is ipvsadm installed?",
      );
    }
    const parsedSave = parseIpvsadmSave(save);
    // One listed service at a time, so what the model cannot hold is known per service: it
    // matters only for services the cluster owns (cluster-reading.ts).
    const services: ServiceSpec[] = [];
    const unmanageable: EngineTable["unmanageable"] = [];
    for (const ls of parsedSave.services) {
      const live = servicesFromListing([ls]);
      if (live.issues.length > 0) {
        const reason = live.issues.map((i) => i.message).join("; ");
        unmanageable.push({ key: listedOwnershipKey(ls), reason });
      }
      services.push(...live.services);
    }
    const thresholdsText = outputs.get("ipvsadm-thresholds");
    return {
      listed: parsedSave.services,
      services: thresholdsText
        ? mergeThresholds(services, parseIpvsadmList(thresholdsText))
        : services,
      unmanageable,
      keepalived: parseKeepalivedStatus(outputs.get("keepalived")),
      errors: parsedSave.errors.map((e) => `ipvsadm-save:${e.line}: ${e.reason}`),
    };
  },

  plan: (current, desired, options = {}) =>
    withKeepalivedStopped(current, planCluster(current, desired, options)),
  restore: (current, snapshot, options = {}) => planTransition(current, snapshot, options),
};
