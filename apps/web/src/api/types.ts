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
  ClusterOverview,
  CreatedApiToken,
  Director,
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
  "id" | "serviceId" | "draining" | "createdAt" | "updatedAt"
> & {
  draining?: boolean;
};

export type ServiceInput = Omit<
  Service,
  "id" | "clusterId" | "realservers" | "createdAt" | "updatedAt"
>;

export type DirectorInput = Pick<Director, "hostId" | "dip" | "interface" | "vipInterface">;

export type ClusterInput = Pick<Cluster, "name"> & { description?: string };
