// The lab's fixed addresses and names. They match /work/shared/fixtures/ipvsadm, which was captured
// from this topology, so fixtures and live output can be compared directly.

export const DIRECTOR_HOSTNAME = "lvs-director";
/** The director's address on the inside segment (bridge lan0), shared with the realservers. */
export const DIP = "10.10.0.1";
export const LAN_INTERFACE = "lan0";
/**
 * The director's outside link: a bridge (192.168.77.1/24, set by guest/init.sh) holding the NAT
 * client's veth and the second director's wan0, one segment for a floating NAT VIP.
 */
export const WAN_INTERFACE = "wan0";
/** The director's own address on wan0. */
export const DIRECTOR_WAN_ADDRESS = "192.168.77.1";

/**
 * The second director, for VRRP pairs: network namespace `dir2` on the director, with its own
 * IPVS table, hostname, sshd (reached through the director as jump host, like the realservers)
 * and private /etc, /run and /tmp. Its interfaces have the director's names, lan0 (on the lan0
 * bridge) and wan0 (on the wan0 bridge), so one keepalived config shape fits both.
 */
export const DIRECTOR2_NAMESPACE = "dir2";
export const DIRECTOR2_HOSTNAME = "lvs-director2";
/** The second director's address on lan0: its DIP, and where its sshd listens. */
export const DIP2 = "10.10.0.2";
/** The second director's own address on wan0. */
export const DIRECTOR2_WAN_ADDRESS = "192.168.77.3";

interface RealserverSpec {
  /** Also the network namespace name and the HTTP body the realserver answers with. */
  readonly name: "rs1" | "rs2" | "rs3";
  readonly address: string;
}

export const REALSERVERS: readonly RealserverSpec[] = [
  { name: "rs1", address: "10.10.0.11" },
  { name: "rs2", address: "10.10.0.12" },
  { name: "rs3", address: "10.10.0.13" },
];

export type RealserverName = RealserverSpec["name"];

/** Client namespaces: `clientnat` sits outside on wan0, `clientdr` on the same L2 segment. */
export const CLIENTS = {
  nat: { namespace: "clientnat", address: "192.168.77.2" },
  dr: { namespace: "clientdr", address: "10.10.0.100" },
} as const;

export type ClientName = (typeof CLIENTS)[keyof typeof CLIENTS]["namespace"];

export const VIPS = { nat: "192.168.77.100", dr: "10.10.0.200" } as const;

export const HTTP_PORT = 80;
