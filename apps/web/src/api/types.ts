// Wire shapes of the lvs-panel API: the contract's (JSON; dates are ISO strings). The few input
// shapes below are what the web's forms send, narrowed from the contract's request schemas.
import type { Cluster, Director, HostAuth, RealServer, Service } from "@lvs-panel/contract";

export type {
  ApiToken,
  Apply,
  ApplyEvent,
  ApplyHost,
  ApplyStage,
  ApplyStatus,
  ApplyStep,
  ApplyStepStatus,
  AuditEntry,
  AuthStatus,
  AuthType,
  Cluster,
  ClusterHealth,
  ClusterOverview,
  CreatedApiToken,
  Director,
  DirectorHealth,
  Host,
  HostAuth,
  HostKeyScan,
  Issue,
  OverviewHost,
  PendingHostSteps,
  PlanHostView as PlanHost,
  PlanPhase,
  PlanStepView as PlanStep,
  PlanSummaryView as PlanSummary,
  PlanView as Plan,
  RealServer,
  RealserverHealth,
  Role,
  Service,
  UnreachableHostView as UnreachableHost,
  UnreachableStepView as UnreachableStep,
  User,
  UserAccount,
  UserInput,
  ValidationReport,
} from "@lvs-panel/contract";

export interface HostInput {
  name: string;
  address: string;
  port?: number;
  username?: string;
  auth?: HostAuth;
  jumpHostId?: string | null;
}

export type RealServerInput = Omit<
  RealServer,
  "id" | "serviceId" | "draining" | "checkPort" | "createdAt" | "updatedAt"
> & {
  draining?: boolean;
  /** Left out where the dialog does not offer it (the ipvsadm engine): the stored value stays. */
  checkPort?: RealServer["checkPort"];
};

/** Who owns the director's IPVS table: the panel (ipvsadm) or keepalived (health-checked). */
export type Engine = Cluster["engine"];

/** A service's health check, as the API stores and returns it (timings filled in). */
export type HealthCheck = Service["healthCheck"];
export type HealthCheckType = HealthCheck["type"];
export type FailureAction = Service["onFailure"];
export type SorryServer = NonNullable<Service["sorryServer"]>;

/** What the service dialog sends; the keepalived settings are left out on the ipvsadm engine. */
export type ServiceInput = Omit<
  Service,
  | "id"
  | "clusterId"
  | "realservers"
  | "createdAt"
  | "updatedAt"
  | "healthCheck"
  | "onFailure"
  | "sorryServer"
> &
  Partial<Pick<Service, "healthCheck" | "onFailure" | "sorryServer">>;

export type DirectorInput = Pick<Director, "hostId" | "dip" | "interface" | "vipInterface">;

export type ClusterInput = Pick<Cluster, "name"> & { description?: string; engine?: Engine };

export type ClusterPatch = Partial<Pick<Cluster, "name" | "description" | "engine">>;
