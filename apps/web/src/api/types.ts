// Wire shapes of the lvs-panel API: the contract's (JSON; dates are ISO strings), requests and
// responses alike, so what the web sends is what the API's schemas take.
import type { Cluster, Service } from "@lvs-panel/contract";

export type {
  ApiToken,
  ApiTokenCreate,
  Apply,
  ApplyEvent,
  ApplyHost,
  ApplyStage,
  ApplyStatus,
  ApplyStep,
  ApplyStepStatus,
  AuditEntry,
  AuditQuery,
  AuthStatus,
  AuthType,
  Cluster,
  ClusterCreate,
  ClusterHealth,
  ClusterImportRequest,
  ClusterOverview,
  ClusterPatch,
  CreatedApiToken,
  Director,
  DirectorHealth,
  DirectorInput,
  DirectorsInput,
  Ha,
  HaInput,
  VrrpState,
  Drift,
  DriftChangeView as DriftChange,
  Host,
  HostAuth,
  HostCreate,
  HostKeyScan,
  HostKeyTrust,
  HostPatch,
  ImportPreview,
  ImportResult,
  Issue,
  LoginInput,
  OverviewHost,
  PasswordChange,
  PendingHostSteps,
  PlanHostView as PlanHost,
  PlanPhase,
  PlanStepView as PlanStep,
  PlanSummaryView as PlanSummary,
  PlanView as Plan,
  RealServer,
  RealServerCreate,
  RealServerPatch,
  RealserverHealth,
  Role,
  Service,
  ServiceCreate,
  ServicePatch,
  SetupInput,
  UnreachableHostView as UnreachableHost,
  UnreachableStepView as UnreachableStep,
  User,
  UserAccount,
  UserInput,
  UserPatch,
  ValidationReport,
} from "@lvs-panel/contract";

/** Who owns the director's IPVS table: the panel (ipvsadm) or keepalived (health-checked). */
export type Engine = Cluster["engine"];

/** A service's health check, as the API stores and returns it (timings filled in). */
export type HealthCheck = Service["healthCheck"];
export type HealthCheckType = HealthCheck["type"];
export type FailureAction = Service["onFailure"];
export type SorryServer = NonNullable<Service["sorryServer"]>;
