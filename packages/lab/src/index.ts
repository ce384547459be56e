// The lab's programmatic API for the e2e tests: a real IPVS director with three realservers and
// two clients in a qemu VM. See packages/lab/README.md.

export { APT_PACKAGES } from "./apt-packages.ts";
export {
  type DirectorSide,
  FAILOVER_DIR,
  type FailoverOptions,
  type FailoverReport,
  type HeldConnection,
  prepareFailoverTools,
  removeFailoverTools,
  runFailover,
  syncedHolds,
} from "./failover.ts";
export {
  curlFromClient,
  director2Shell,
  disconnectLab,
  ensureLab,
  execInDirector2,
  execInRealserver,
  type LabDirector2,
  type LabInfo,
  type LabRealserver,
  type Log,
  labExec,
  labRun,
  labStatus,
  runInDirector2,
  sshDirector2,
  sshRealserver,
  stopLab,
} from "./lab.ts";
export { type SeedOptions, type SeedResult, seedOptionsFromEnv, seedPanel } from "./seed.ts";
export {
  checkDr,
  checkNat,
  resetLvs,
  runSelftest,
  type TrafficReport,
  unloadIpvs,
} from "./selftest.ts";
export type { ExecResult, LabSsh } from "./ssh.ts";
export {
  CLIENTS,
  DIP,
  DIP2,
  DIRECTOR_WAN_ADDRESS,
  DIRECTOR2_HOSTNAME,
  DIRECTOR2_NAMESPACE,
  DIRECTOR2_WAN_ADDRESS,
  REALSERVERS,
  VIPS,
} from "./topology.ts";
