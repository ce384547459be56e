// Prometheus's own checker (`promtool`, Debian's `prometheus` package, which .ci/run installs):
// the metrics the panel exposes and the alert rules it ships are checked by the tool Prometheus
// users run, not by a parser of ours. A machine without it skips those tests by name, as for
// busybox; in CI (CI set) a missing promtool fails them instead, so they can never go quiet there.
import { spawnSync } from "node:child_process";
import { it } from "vitest";

const MISSING = "promtool is not installed (apt-get install -y prometheus)";
const found = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0;

export interface PromtoolRun {
  status: number | null;
  /** stdout and stderr together: what promtool says about the input. */
  output: string;
}

export function promtool(args: readonly string[], input?: string): PromtoolRun {
  if (!found) throw new Error(MISSING);
  const run = spawnSync("promtool", args, {
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout ?? ""}${run.stderr ?? ""}` };
}

/** `it` for a test that runs promtool: named as skipped without it, except in CI. */
export function itWithPromtool(title: string, fn: () => Promise<void> | void, timeout?: number) {
  if (!found && !process.env.CI) {
    it.skip(`${title}: ${MISSING}`, () => {});
    return;
  }
  it(title, fn, timeout);
}
