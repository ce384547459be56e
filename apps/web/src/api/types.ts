// Wire shapes of the lvs-panel API (JSON; dates are ISO strings).
import type { HostAuth, Issue } from "@lvs-panel/contract";
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

export type {
  ApiToken,
  AuditEntry,
  AuthType,
  ClusterOverview,
  CreatedApiToken,
  Host,
  HostAuth,
  HostKeyScan,
  Issue,
  OverviewHost,
} from "@lvs-panel/contract";

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
  /** Weight 0 on the director (connections finish, new ones go elsewhere); `weight` is kept. */
  draining: boolean;
  upperThreshold: number;
  lowerThreshold: number;
  hostId: string | null;
}

export type RealServerInput = Omit<RealServer, "id" | "serviceId" | "draining"> & {
  draining?: boolean;
};

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

export interface ValidationReport {
  errors: Issue[];
  warnings: Issue[];
}

// Plan and apply (see apps/api/src/services/apply): what would run, then what ran.

export type {
  Apply,
  ApplyEvent,
  ApplyHost,
  ApplyStage,
  ApplyStatus,
  ApplyStep,
  ApplyStepStatus,
  PendingHostSteps,
  PlanHostView as PlanHost,
  PlanPhase,
  PlanStepView as PlanStep,
  PlanSummaryView as PlanSummary,
  PlanView as Plan,
  UnreachableHostView as UnreachableHost,
  UnreachableStepView as UnreachableStep,
} from "@lvs-panel/contract";

// Administration: users, API tokens, the audit log.

/** A user as the admin list shows it. */
export interface UserAccount extends User {
  createdAt: string;
}

export interface UserInput {
  username: string;
  password: string;
  role: Role;
}
