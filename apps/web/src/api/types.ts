// Wire shapes of the lvs-panel API (JSON; dates are ISO strings).
import type { Forwarding, Protocol } from "@lvs-panel/lvs";

export type Role = "admin" | "operator" | "viewer";

export interface User {
  id: string;
  username: string;
  role: Role;
}

export interface AuthStatus {
  setupRequired: boolean;
  user: User | null;
}

export type AuthType = "key" | "password";

export interface Host {
  id: string;
  name: string;
  address: string;
  port: number;
  username: string;
  authType: AuthType;
  hasSecret: boolean;
  hasPassphrase: boolean;
  hostKeySha256: string | null;
  jumpHostId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface HostKeyScan {
  fingerprint: string;
  keyType: string;
  /** The fingerprint pinned now, or null if none is. */
  pinned: string | null;
}

export type HostAuth =
  | { type: "key"; privateKey: string; passphrase?: string }
  | { type: "password"; password: string };

export interface HostInput {
  name: string;
  address: string;
  port?: number;
  username?: string;
  auth?: HostAuth;
  jumpHostId?: string | null;
}

export interface RealServer {
  id: string;
  serviceId: string;
  address: string;
  port: number;
  weight: number;
  enabled: boolean;
  upperThreshold: number;
  lowerThreshold: number;
  hostId: string | null;
}

export type RealServerInput = Omit<RealServer, "id" | "serviceId">;

export interface Service {
  id: string;
  clusterId: string;
  protocol: Protocol;
  vip: string;
  port: number;
  scheduler: string;
  schedulerFlags: string[];
  persistence: number | null;
  persistenceNetmask: string | null;
  forwarding: Forwarding;
  realservers: RealServer[];
}

export type ServiceInput = Omit<Service, "id" | "clusterId" | "realservers">;

export interface Director {
  hostId: string;
  dip: string;
  interface: string;
  /** Outward interface for NAT VIPs on two-NIC directors; null = the same as `interface`. */
  vipInterface: string | null;
  host: { id: string; name: string; address: string };
}

export type DirectorInput = Pick<Director, "hostId" | "dip" | "interface" | "vipInterface">;

export interface Cluster {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  director: Director | null;
  services: Service[];
}

export interface ClusterInput {
  name: string;
  description?: string;
}

export interface Issue {
  code: string;
  field: string;
  message: string;
}

export interface ValidationReport {
  errors: Issue[];
  warnings: Issue[];
}
