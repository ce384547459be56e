// What an import finds on a director: its IPVS table (every service the model can hold, and the
// rest refused with the reason) and, when keepalived runs there on a configuration the panel did
// not write, that configuration, whose services come with their health checks.
import { createHash } from "node:crypto";
import {
  type Engine,
  type ImportRefusal,
  importTable,
  importUnderKeepalived,
  isPanelKeepalivedConf,
  parseIpvsadmList,
  parseIpvsadmSave,
  parseKeepalivedConf,
  parseKeepalivedStatus,
  renderKeepalivedStatusRead,
  type ServiceSpec,
} from "@lvs-panel/lvs";
import type { Runner } from "@lvs-panel/remote";
import { readOutputs, renderReadScript, splitReadResults } from "../apply/read-script.ts";
import { DomainError } from "../errors.ts";

export interface DirectorImportRead {
  /** keepalived when a keepalived runs on a configuration of its own; else ipvsadm. */
  engine: Engine;
  services: ServiceSpec[];
  refused: ImportRefusal[];
  /** Settings imported with a small change the panel's rendering makes (keepalived only). */
  adjusted: { service: string; note: string }[];
  /** sha256 of the operator's keepalived.conf, when the import takes it over. */
  keepalivedConfSha256: string | null;
  /**
   * Why the operator's keepalived.conf cannot be taken over: the panel rewrites the file whole,
   * so anything in it the panel cannot write back (a refused service, a vrrp_instance) would go.
   */
  blockers: string[];
}

/** Top-level blocks of keepalived.conf the panel writes back itself. */
const REWRITTEN_BLOCKS = new Set(["global_defs"]);

export async function readDirectorForImport(runner: Runner): Promise<DirectorImportRead> {
  const script = renderReadScript([
    { id: "save", argv: ["ipvsadm", "-S", "-n"] },
    { id: "thresholds", argv: ["ipvsadm", "-Ln", "--thresholds"] },
    { id: "keepalived", shell: renderKeepalivedStatusRead() },
  ]);
  const { stdout } = await runner.run({ script });
  const outputs = readOutputs(splitReadResults(stdout));
  const save = outputs.get("save");
  if (save === null || save === undefined) {
    throw new DomainError(
      "host_failed",
      "IPVS_UNREADABLE",
      "could not read the director's IPVS table (ipvsadm -S -n failed): is ipvsadm installed?",
    );
  }
  const parsed = parseIpvsadmSave(save);
  const thresholds = outputs.get("thresholds");
  const table = importTable(parsed.services, thresholds ? parseIpvsadmList(thresholds) : undefined);
  // A line that does not parse is a service (or part of one) the panel cannot read: say so.
  const unreadable = parsed.errors.map((e) => ({
    service: e.text.trim(),
    reason: `this line of ipvsadm -S -n could not be read: ${e.reason}`,
  }));
  const { pid, text: conf } = parseKeepalivedStatus(outputs.get("keepalived"));
  if (pid !== null && conf !== null) {
    const parsedConf = parseKeepalivedConf(conf);
    const merged = importUnderKeepalived(table, parsedConf);
    const ours = isPanelKeepalivedConf(conf);
    const blockers = ours
      ? []
      : [
          ...parsedConf.refused.map((r) => `${r.service} (${r.reason})`),
          ...parsedConf.ignored
            .filter((block) => !REWRITTEN_BLOCKS.has(block))
            .map((block) => `its ${block} configuration`),
        ];
    return {
      engine: "keepalived",
      services: merged.services,
      refused: [...merged.refused, ...unreadable],
      adjusted: parsedConf.adjusted ?? [],
      keepalivedConfSha256: ours ? null : createHash("sha256").update(conf, "utf8").digest("hex"),
      blockers,
    };
  }
  return {
    engine: "ipvsadm",
    services: table.services,
    refused: [...table.refused, ...unreadable],
    adjusted: [],
    keepalivedConfSha256: null,
    blockers: [],
  };
}
