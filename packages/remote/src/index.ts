// @lvs-panel/remote: SSH to directors and realservers — host keys, jump hosts, a pooled runner.

export { buildInvocation, type RemoteInvocation } from "./command.ts";
export {
  type ConnectOptions,
  connect,
  JUMP_HOST_HINT,
  type SshConnection,
} from "./connect.ts";
export * from "./errors.ts";
export { fingerprintOf, isFingerprint } from "./host-key.ts";
export {
  type HostOutcome,
  type ShellSession,
  SshPool,
  type SshPoolOptions,
  type SshPoolStats,
} from "./pool.ts";
export { checkPrivateKey, type PrivateKeyCheck } from "./private-key.ts";
export type { Command, CommandResult, Runner, RunOptions } from "./runner.ts";
export { type ScannedHostKey, type ScanRequest, scanHostKey } from "./scan.ts";
export { type SshAuth, type SshTarget, validateTarget } from "./target.ts";
