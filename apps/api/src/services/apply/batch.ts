// Turns one host's steps into ONE shell script (one SSH round trip), with markers around each step
// so the output can be split back into per-step results. Consecutive ipvsadm steps become a single
// `ipvsadm -R` (restore) run, so thousands of table edits cost one process, not thousands;
// consecutive address changes one `ip -batch`; consecutive file writes one rename at the end.
import {
  argvToShell,
  type FileWrite,
  quoteShellArg,
  renderFileWrites,
  type Step,
} from "@lvs-panel/lvs";

export const MARKER = "@@lvs-panel";

/** A unit of execution: one step, or a run of ipvsadm steps fed to one `ipvsadm -R`. */
export interface BatchGroup {
  id: string;
  stepIds: string[];
  /** The shell text that runs for this group, exactly as it appears in the script. */
  command: string;
}

export interface HostBatch {
  groups: BatchGroup[];
  script: string;
}

// `ipvsadm -R` and `ip -batch` split lines on whitespace; every token the renderer produces is an
// address, port, number, flag, interface or scheduler name. Anything else is run as a normal
// quoted command instead. Batching matters on slow hosts: one process instead of one per step.
const BATCH_TOKEN = /^[A-Za-z0-9_.:[\],/-]+$/;

interface Batcher<T = unknown> {
  kind: string;
  /** What the step adds to a batch, or null when the step cannot join this kind of batch. */
  line(step: Step): T | null;
  command(lines: T[]): string;
}

const fileWrites: Batcher<FileWrite> = {
  kind: "file",
  line: (step) =>
    step.op.kind === "file" && step.op.action === "write"
      ? { path: step.op.path, content: step.op.content }
      : null,
  command: (files) => renderFileWrites(files),
};

const BATCHERS: Batcher[] = [
  {
    kind: "ipvsadm",
    line(step) {
      const argv = step.argv;
      if (step.op.kind !== "ipvsadm" || !argv || argv[0] !== "ipvsadm" || argv.length < 2)
        return null;
      const args = argv.slice(1);
      return args.every((a) => BATCH_TOKEN.test(a)) ? args.join(" ") : null;
    },
    command: (lines) => heredoc("ipvsadm -R", "LVS_PANEL_IPVSADM_RULES", lines),
  } satisfies Batcher<string>,
  {
    kind: "ip",
    // ip -batch takes "object command args" lines; global options (-4/-6) only on the command
    // line, so only steps without them join (address changes, which are the many ones).
    line(step) {
      const argv = step.argv;
      if (argv?.[0] !== "ip" || argv.length < 3 || argv[1]?.startsWith("-")) return null;
      const args = argv.slice(1);
      return args.every((a) => BATCH_TOKEN.test(a)) ? args.join(" ") : null;
    },
    command: (lines) => heredoc("ip -batch -", "LVS_PANEL_IP_BATCH", lines),
  } satisfies Batcher<string>,
  fileWrites as Batcher,
];

function heredoc(command: string, delimiter: string, lines: string[]): string {
  return `${command} <<'${delimiter}'\n${lines.join("\n")}\n${delimiter}`;
}

function stepCommand(step: Step): string {
  if (step.argv) return argvToShell(step.argv);
  if (step.script !== undefined) return `(\n${step.script}\n)`;
  throw new Error(`step ${step.id} has neither argv nor script`);
}

export function renderHostBatch(steps: readonly Step[]): HostBatch {
  return renderHostBatchInRuns([steps]);
}

/** One script for several runs of steps (a host's phases in one round trip); no batch spans runs. */
export function renderHostBatchInRuns(runs: readonly (readonly Step[])[]): HostBatch {
  const groups: BatchGroup[] = [];
  let pending: { batcher: Batcher; ids: string[]; lines: unknown[]; first: Step } | null = null;
  const flush = () => {
    if (!pending) return;
    if (pending.ids.length === 1) {
      // A batch of one is clearer as the plain command.
      groups.push({
        id: pending.first.id,
        stepIds: pending.ids,
        command: stepCommand(pending.first),
      });
    } else {
      groups.push({
        id: `${pending.batcher.kind}-batch-${groups.length}`,
        stepIds: pending.ids,
        command: pending.batcher.command(pending.lines),
      });
    }
    pending = null;
  };
  const add = (step: Step) => {
    for (const batcher of BATCHERS) {
      const line = batcher.line(step);
      if (line === null) continue;
      if (pending && pending.batcher !== batcher) flush();
      pending ??= { batcher, ids: [], lines: [], first: step };
      pending.ids.push(step.id);
      pending.lines.push(line);
      return;
    }
    flush();
    groups.push({ id: step.id, stepIds: [step.id], command: stepCommand(step) });
  };
  for (const run of runs) {
    for (const step of run) add(step);
    flush();
  }
  const body = groups.map((g, i) => {
    const tag = quoteShellArg(String(i));
    return [
      `printf '\\n${MARKER} begin %s\\n' ${tag}`,
      `{\n${g.command}\n} 2>&1`,
      "rc=$?",
      `printf '\\n${MARKER} end %s %s\\n' ${tag} "$rc"`,
      `[ "$rc" -eq 0 ] || exit 90`,
    ].join("\n");
  });
  return {
    groups,
    script: ["set -u", "PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH", ...body, ""].join("\n"),
  };
}

export interface GroupResult {
  group: BatchGroup;
  status: "ok" | "failed" | "not-run";
  exitCode: number | null;
  output: string;
}

/** Splits a batch's stdout back into per-group results. */
export function parseBatchOutput(batch: HostBatch, stdout: string): GroupResult[] {
  const results: GroupResult[] = batch.groups.map((group) => ({
    group,
    status: "not-run",
    exitCode: null,
    output: "",
  }));
  let current: GroupResult | null = null;
  const out: string[] = [];
  for (const line of stdout.split("\n")) {
    if (line.startsWith(`${MARKER} begin `)) {
      current = results[Number(line.slice(MARKER.length + 7))] ?? null;
      out.length = 0;
      continue;
    }
    if (line.startsWith(`${MARKER} end `) && current) {
      const code = Number(line.trim().split(" ").at(-1));
      current.exitCode = Number.isFinite(code) ? code : null;
      current.status = code === 0 ? "ok" : "failed";
      current.output = out.join("\n").replace(/^\n+|\n+$/g, "");
      current = null;
      continue;
    }
    if (current) out.push(line);
  }
  // A group that began but never ended was cut off (timeout, dropped connection).
  if (current) {
    current.status = "failed";
    current.output = out.join("\n");
  }
  return results;
}
