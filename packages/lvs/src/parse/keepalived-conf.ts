// Reads the LVS part of an operator's keepalived.conf into the model, so the panel can take over a
// director that runs keepalived (issue 16). Grammar and defaults are keepalived 2.2.7's (lib/parser.c,
// check/check_parser.c, check_data.c; shared/docs/keepalived.md §1). A virtual_server is imported
// whole or refused whole, with the reason: an import that behaved otherwise than the live director
// would be worse than none. Only timing may differ slightly, and each such change comes with a
// note. The inverse of render/keepalived-conf.ts on everything it writes. The steps, in
// keepalived-conf/: tokens → blocks → services (with checkers) → validated here.

import { canonicalAddress } from "../address.ts";
import type { ImportRefusal } from "../adopt/import-table.ts";
import { isIpAddress } from "../fields.ts";
import { liveServiceKey } from "../live-service-key.ts";
import type { ServiceSpec } from "../model.ts";
import { serviceKey, validateCluster } from "../validate.ts";
import { firstBroken, readTree, type Statement, statementsIn } from "./keepalived-conf/blocks.ts";
import { CHECKERS, UNSUPPORTED_CHECKERS } from "./keepalived-conf/keywords.ts";
import { rsName } from "./keepalived-conf/service-health.ts";
import { serviceOf } from "./keepalived-conf/services.ts";
import { Refusal, refuse } from "./keepalived-conf/values.ts";

/** An imported service that the panel will render a little otherwise than the file has it. */
export interface ImportAdjustment {
  /** The service as the live view names it: "TCP 10.0.0.1:80", "FWM 7". */
  service: string;
  /** What changes, in the operator's words: "retries wait delay_loop (6 s) instead of …". */
  note: string;
}

export interface KeepalivedImport {
  /** One entry per virtual_server block that could be represented. */
  services: ServiceSpec[];
  /** virtual_server blocks (or parts) that cannot be represented: the whole service is refused. */
  refused: ImportRefusal[];
  /** What the panel's rendering of the imported services changes in their timing. */
  adjusted: ImportAdjustment[];
  /** Blocks that are not LVS configuration (vrrp_instance, global_defs…): their names, once each. */
  ignored: string[];
}

/** What the panel's own validation says, so every imported service is one it would accept. */
function validated(spec: ServiceSpec): ServiceSpec {
  const { errors } = validateCluster({ engine: "keepalived", director: null, services: [spec] });
  if (errors.length === 0) return spec;
  // "services[0].realservers[1].port" → "real_server 10.0.0.12:80 port".
  const where = (field: string) =>
    field
      .replace(/^services\[0\]\.?/, "")
      .replace(/^realservers\[(\d+)\]\.?/, (_, i: string) => {
        const rs = spec.realservers[Number(i)];
        return rs ? `${rsName(rs.address, rs.port)} ` : "";
      })
      .trim();
  return refuse(
    errors.map((e) => [where(e.field), e.message].filter(Boolean).join(": ")).join("; "),
  );
}

function labelOf(words: string[], block: Statement[] | null): string {
  const [, a = "", b = "0"] = words;
  if (a === "fwmark" || a === "group") return `${a === "fwmark" ? "FWM" : "group"} ${b}`;
  const protocol = block?.find((s) => s.words[0] === "protocol")?.words[1] ?? "udp";
  if (!isIpAddress(a) || !/^\d+$/.test(b)) return `virtual_server ${words.slice(1).join(" ")}`;
  return liveServiceKey({ protocol, vip: canonicalAddress(a), port: Number(b) });
}

/** Blocks found only inside a virtual_server: at top level, the spill of one closed early. */
const SPILL = new Set(["real_server", "url", ...Object.keys(CHECKERS), ...UNSUPPORTED_CHECKERS]);

interface Parsed {
  label: string;
  line: number;
  spec: ServiceSpec;
  notes: string[];
}

export function parseKeepalivedConf(text: string): KeepalivedImport {
  const { top, unbalanced } = readTree(text);
  const refused: ImportRefusal[] = [];
  const ignored = new Set<string>();
  const parsed: Parsed[] = [];
  // Past a brace fault nothing is certain to be where it seems; the block before an extra `}`
  // may have ended early, spilling the rest of itself up to the `}` into the top level.
  const faultLine = unbalanced?.line ?? Number.POSITIVE_INFINITY;
  const suspect = unbalanced?.extraClose
    ? top.filter((s) => s.line < faultLine && s.block && !SPILL.has(s.words[0] ?? "")).at(-1)
    : undefined;
  const damagedFrom = suspect?.line ?? faultLine;
  const braceReason = unbalanced?.extraClose
    ? `unbalanced braces: an extra } at line ${faultLine}; nothing from there on is imported`
    : `unbalanced braces: the { at line ${faultLine} is never closed; nothing from there on is imported`;
  for (const st of top) {
    // `@id …` lines apply on one node only (config-id): refused inside a virtual_server.
    const words = st.words[0]?.startsWith("@") ? st.words.slice(1) : st.words;
    const keyword = words[0] ?? "{";
    if (st.line >= damagedFrom) {
      for (const vs of statementsIn({ ...st, words }, "virtual_server")) {
        refused.push({ service: labelOf(vs.words, vs.block), reason: braceReason });
      }
      if (keyword !== "virtual_server") ignored.add(keyword);
    } else if (keyword === "include") {
      refused.push({
        service: `include ${words[1] ?? ""}`,
        reason: `include files are not read: ${words[1] ?? ""}`,
      });
    } else if (keyword.startsWith("~")) {
      // ~SEQ(…) and ~LST(…) repeat the rest of their line: what they make is not read.
      refused.push({ service: words.join(" "), reason: "~SEQ and ~LST lines are not expanded" });
    } else if (keyword !== "virtual_server") {
      ignored.add(keyword);
    } else {
      const label = labelOf(words, st.block);
      try {
        if (words !== st.words) refuse(`per-node lines (${st.words[0]}) are not read`);
        const broken = firstBroken(st);
        if (broken) refuse(broken);
        const { spec, notes } = serviceOf(st);
        parsed.push({ label, line: st.line, spec: validated(spec), notes });
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        refused.push({ service: label, reason: e.reason });
      }
    }
  }
  // Two blocks for one service: which of them keepalived's table follows is not for us to guess.
  const lines = new Map<string, number[]>();
  for (const p of parsed)
    lines.set(serviceKey(p.spec), [...(lines.get(serviceKey(p.spec)) ?? []), p.line]);
  const services: ServiceSpec[] = [];
  const adjusted: ImportAdjustment[] = [];
  for (const p of parsed) {
    const same = lines.get(serviceKey(p.spec)) ?? [];
    if (same.length < 2) {
      services.push(p.spec);
      for (const note of p.notes) adjusted.push({ service: p.label, note });
    } else
      refused.push({
        service: p.label,
        reason: `the same service is defined at lines ${same.join(", ")}`,
      });
  }
  return { services, refused, adjusted, ignored: [...ignored] };
}
