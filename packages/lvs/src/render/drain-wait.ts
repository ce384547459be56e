// A wait on the director until realservers being removed have no active connection left, capped:
// the step of a drained removal between "weight 0" and "gone". Reads `ipvsadm -Ln` once a second;
// says how long it waited and, at the cap, how many connections were still open.
import { formatEndpoint } from "../address.ts";
import { liveServiceKey } from "../live-service-key.ts";
import type { ServiceSpec } from "../model.ts";
import { quoteShellArg } from "./shell-quote.ts";

export const DRAIN_WAIT_CAP_SECONDS = 30;

export interface DrainingEndpoint {
  service: Pick<ServiceSpec, "protocol" | "vip" | "port" | "fwmark">;
  address: string;
  port: number;
}

/** `ipvsadm -Ln`'s own spelling of a service line's first two fields, and of a realserver. */
function listedKeys(e: DrainingEndpoint): string {
  return `${liveServiceKey(e.service)}|${formatEndpoint(e.address, e.port)}`;
}

export function renderDrainWait(
  endpoints: readonly DrainingEndpoint[],
  capSeconds = DRAIN_WAIT_CAP_SECONDS,
): string {
  const keys = endpoints.map(listedKeys).join(",");
  // awk sums ActiveConn (5th field of a `->` line) of the listed realservers under their service.
  const awk = [
    'BEGIN { n = split(keys, k, ","); for (i = 1; i <= n; i++) want[k[i]] = 1 }',
    '$1 == "TCP" || $1 == "UDP" || $1 == "SCTP" || $1 == "FWM" { svc = $1 " " $2; next }',
    '$1 == "->" && ((svc "|" $2) in want) { active += $5 }',
    "END { print active + 0 }",
  ].join("\n");
  return [
    `keys=${quoteShellArg(keys)}; cap=${capSeconds}; waited=0`,
    "while :; do",
    `  active=$(ipvsadm -Ln | awk -v keys="$keys" ${quoteShellArg(awk)})`,
    '  if test "$active" = 0; then echo "drained after $waited""s"; break; fi',
    '  if test "$waited" -ge "$cap"; then echo "still $active active connection(s) after $cap""s: removing anyway"; break; fi',
    "  sleep 1; waited=$((waited + 1))",
    "done",
  ].join("\n");
}

/** For a step description: which realservers are waited for. */
export function describeDrainWait(
  endpoints: readonly DrainingEndpoint[],
  capSeconds = DRAIN_WAIT_CAP_SECONDS,
) {
  const names = endpoints.map(
    (e) => `${formatEndpoint(e.address, e.port)} in ${liveServiceKey(e.service)}`,
  );
  const shown =
    names.length > 3
      ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`
      : names.join(", ");
  return `Wait until ${shown} ${names.length === 1 ? "has" : "have"} no active connection (at most ${capSeconds} s)`;
}
