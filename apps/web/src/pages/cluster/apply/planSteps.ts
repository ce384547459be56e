// How a host's plan reads: steps by phase, in the order the phases run, and steps that share one
// command (a batched `ipvsadm -R`) shown once under all their descriptions.
import type { PlanPhase, PlanStep } from "../../../api/types.ts";

export const PHASES: { phase: PlanPhase; label: string; purpose: string }[] = [
  { phase: "drain", label: "Drain", purpose: "weight 0 for realservers about to be removed" },
  {
    phase: "director-remove",
    label: "Remove from director",
    purpose: "traffic stops before anything it relied on goes",
  },
  {
    phase: "prepare",
    label: "Prepare hosts",
    purpose: "sysctls, VIPs and routes the traffic needs",
  },
  { phase: "director-apply", label: "Director table", purpose: "IPVS services and realservers" },
  { phase: "cleanup", label: "Clean up", purpose: "host settings no longer needed" },
  { phase: "persist", label: "Persist", purpose: "files that survive a reboot" },
];

export function phaseLabel(phase: string): string {
  return PHASES.find((p) => p.phase === phase)?.label ?? phase;
}

export interface CommandGroup<S extends PlanStep> {
  command: string;
  steps: S[];
}

export interface PhaseGroup<S extends PlanStep> {
  phase: PlanPhase;
  label: string;
  purpose: string;
  commands: CommandGroup<S>[];
}

/** Phases in execution order (unknown phases last), consecutive steps with one command merged. */
export function groupSteps<S extends PlanStep>(steps: readonly S[]): PhaseGroup<S>[] {
  const known = new Set<string>(PHASES.map((p) => p.phase));
  const order = [
    ...PHASES,
    ...[...new Set(steps.map((s) => s.phase))]
      .filter((phase) => !known.has(phase))
      .map((phase) => ({ phase, label: phase, purpose: "" })),
  ];
  const groups: PhaseGroup<S>[] = [];
  for (const { phase, label, purpose } of order) {
    const commands: CommandGroup<S>[] = [];
    for (const step of steps) {
      if (step.phase !== phase) continue;
      const last = commands.at(-1);
      // "" means "runs in the same batch as the step before" (the API sends a batch's text once).
      if (last && (step.command === "" || last.command === step.command)) last.steps.push(step);
      else commands.push({ command: step.command, steps: [step] });
    }
    if (commands.length > 0) groups.push({ phase, label, purpose, commands });
  }
  return groups;
}
