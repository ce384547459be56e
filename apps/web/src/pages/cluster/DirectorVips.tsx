// Beside the director's interface: which VIPs go on which of its interfaces ("NAT VIP
// 192.168.77.100 on ext0; DR VIP 10.10.0.200 on lan0"), rather than a bare "VIPs on ext0".
import type { Cluster } from "../../api/types.ts";
import { directorVipSummary } from "./vipPlacement.ts";

export function DirectorVips({ cluster }: { cluster: Pick<Cluster, "director" | "services"> }) {
  const summary = directorVipSummary(cluster);
  const director = cluster.director;
  if (summary) return <span className="block text-xs text-slate-500">{summary}</span>;
  // No service yet: say where they will go.
  if (!director) return null;
  const outward = director.vipInterface ?? director.interface;
  return (
    <span className="block text-xs text-slate-500">
      {outward === director.interface
        ? `VIPs will go on ${director.interface}`
        : `NAT VIPs will go on ${outward}; DR and TUN VIPs on ${director.interface}`}
    </span>
  );
}
