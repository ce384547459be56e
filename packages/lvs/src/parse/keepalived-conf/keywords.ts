// What the import does with the keywords the model has no field for: let pass those that change
// nothing the panel holds or renders, and refuse the rest with the reason.
import type { Statement } from "./blocks.ts";
import { flag, refuse } from "./values.ts";

// Alerting and SNMP names, logging; omega only matters with the quorum scripts, which are refused.
const HARMLESS = new Set(["smtp_alert", "snmp_name", "log_all_failures", "omega"]);

const NOT_SUPPORTED: Record<string, string> = {
  ops: "one-packet scheduling (ops) is not supported",
  "flag-3": "flag-3 is not supported",
  persistence_engine: "persistence_engine is not supported",
  ha_suspend: "ha_suspend (checks paused while the VIP is elsewhere) is not supported",
  quorum_up: "quorum scripts (quorum_up) are not supported",
  quorum_down: "quorum scripts (quorum_down) are not supported",
  sorry_server_inhibit: "sorry_server_inhibit is not supported",
  notify_up: "notify scripts (notify_up) are not supported",
  notify_down: "notify scripts (notify_down) are not supported",
  connect_ip: "checking another address (connect_ip) is not supported",
  bindto: "a check source address (bindto) is not supported",
  bind_port: "a check source port (bind_port) is not supported",
  bind_if: "a check source interface (bind_if) is not supported",
  fwmark: "marking check packets (fwmark) is not supported",
  digest: "digest (an MD5 of the page) is not supported: the panel checks the status code only",
};

/** The checkers the model holds, by keyword. */
export const CHECKERS = { TCP_CHECK: "tcp", HTTP_GET: "http", SSL_GET: "https" } as const;
export type CheckerKeyword = keyof typeof CHECKERS;

export const UNSUPPORTED_CHECKERS = [
  "MISC_CHECK",
  "SMTP_CHECK",
  "DNS_CHECK",
  "BFD_CHECK",
  "FILE_CHECK",
  "PING_CHECK",
  "UDP_CHECK",
];

/** Refuses a keyword the level does not know, one the model cannot hold, or `alpha` set. */
export function other(st: Statement, where: string): void {
  const kw = st.words[0] ?? "{";
  if (HARMLESS.has(kw)) return;
  const why = NOT_SUPPORTED[kw];
  if (why) refuse(why);
  if (kw === "alpha") {
    // 2.2.7's virtual_server `alpha` takes no value: any word there still means on.
    if (where === "virtual_server" || flag(st)) {
      refuse("alpha (realservers start down until checked) is not supported");
    }
    return;
  }
  if (kw === "include") refuse(`include files are not read: ${st.words[1] ?? ""}`);
  if (kw.startsWith("@")) refuse(`per-node lines (${kw}) are not read`);
  if (kw.startsWith("~")) refuse(`~SEQ and ~LST lines are not expanded (line ${st.line})`);
  if (UNSUPPORTED_CHECKERS.includes(kw)) refuse(`${kw} checks are not supported`);
  refuse(`unknown keyword ${kw} in ${where} at line ${st.line}`);
}
