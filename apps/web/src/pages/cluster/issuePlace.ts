// Where a validation finding is, in the words of the cluster page: "Service TCP 10.10.0.200:80 ›
// realserver 10.10.0.11:80 › port", not the domain's path `services[0].realservers[1].port`.
import { formatEndpoint, liveServiceKey } from "@lvs-panel/lvs";
import type { Cluster } from "../../api/types.ts";

const WORDS: Record<string, string> = {
  dip: "DIP",
  dipPrefix: "DIP prefix",
  vip: "VIP",
  vipInterface: "VIP interface",
  hostId: "SSH host",
  fwmark: "firewall mark",
  ha: "Failover",
  virtualRouterId: "VRRP router id",
  peer: "Second director",
  hosts: "Hosts",
};

/** `checkPort` → "check port", with the words above where the page uses other ones. */
function word(name: string): string {
  return WORDS[name] ?? name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type Place = Pick<Cluster, "services">;

/**
 * The place a finding's `field` names, for people; null when there is nothing to say (no field).
 * Without the cluster (not loaded yet) services and realservers are named by their position.
 */
export function describeIssueField(field: string, cluster?: Place | null): string | null {
  const segments = [...field.matchAll(/([A-Za-z]+)(?:\[(\d+)\])?/g)].map((m) => ({
    name: m[1] as string,
    index: m[2] === undefined ? null : Number(m[2]),
  }));
  if (segments.length === 0) return null;
  const parts: string[] = [];
  let service: Cluster["services"][number] | undefined;
  for (const [i, { name, index }] of segments.entries()) {
    if (name === "services" && index !== null && i === 0) {
      service = cluster?.services[index];
      parts.push(service ? `Service ${liveServiceKey(service)}` : `Service ${index + 1}`);
    } else if (name === "realservers" && index !== null) {
      const rs = service?.realservers[index];
      parts.push(
        rs ? `realserver ${formatEndpoint(rs.address, rs.port)}` : `realserver ${index + 1}`,
      );
    } else if (name === "directors" && index !== null) {
      parts.push(index === 0 ? "First director" : "Second director");
    } else {
      parts.push(word(name));
    }
  }
  parts[0] = capitalize(parts[0] as string);
  return parts.join(" › ");
}
