// The lab's programmatic API for the e2e tests: a real IPVS director with three realservers and
// two clients in a qemu VM. See packages/lab/README.md.

export { APT_PACKAGES } from "./apt-packages.ts";
export {
  curlFromClient,
  disconnectLab,
  ensureLab,
  execInRealserver,
  type LabInfo,
  type LabRealserver,
  type Log,
  labExec,
  labRun,
  labStatus,
  sshRealserver,
  stopLab,
} from "./lab.ts";
export { type SeedOptions, type SeedResult, seedOptionsFromEnv, seedPanel } from "./seed.ts";
export { checkDr, checkNat, resetLvs, runSelftest, type TrafficReport } from "./selftest.ts";
export type { ExecResult, LabSsh } from "./ssh.ts";
export { CLIENTS, DIP, REALSERVERS, VIPS } from "./topology.ts";
