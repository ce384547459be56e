// How a plan's phases become SSH round trips. Phases order work ACROSS hosts (a DR realserver
// gets its ARP settings before the director sends it traffic), so each phase normally waits for
// the one before on every host. When consecutive phases involve one and the same host, nothing
// else can observe the boundary between them, so they go in one round trip (a "wave").
//
// The last wave of the runtime stage and of the persist stage also read the host back in the
// same round trip: the verification that follows needs that reading anyway.
import { type HostKey, type Plan, type PlanPhase, type Step, stepHostKey } from "@lvs-panel/lvs";

export interface PhaseRun {
  phase: PlanPhase;
  steps: Step[];
}

export interface Wave {
  stage: "apply" | "persist";
  phases: PlanPhase[];
  /** Per host key, its steps of each phase in the wave, in phase order. */
  hosts: Map<HostKey, PhaseRun[]>;
  /** Read the wave's hosts back at the end of their script (the stage's last wave). */
  readBack: boolean;
}

export function executionWaves(plan: Pick<Plan, "phases">): Wave[] {
  const waves: Wave[] = [];
  for (const stage of ["apply", "persist"] as const) {
    const phases = plan.phases.filter(
      (p) => p.steps.length > 0 && (p.phase === "persist") === (stage === "persist"),
    );
    const stageWaves: Wave[] = [];
    for (const { phase, steps } of phases) {
      const byHost = new Map<HostKey, Step[]>();
      for (const step of steps) {
        const key = stepHostKey(step);
        const list = byHost.get(key) ?? [];
        list.push(step);
        byHost.set(key, list);
      }
      const last = stageWaves.at(-1);
      const onlyHost = byHost.size === 1 ? [...byHost.keys()][0] : undefined;
      if (last && onlyHost !== undefined && last.hosts.size === 1 && last.hosts.has(onlyHost)) {
        last.phases.push(phase);
        last.hosts.get(onlyHost)?.push({ phase, steps: byHost.get(onlyHost) ?? [] });
        continue;
      }
      stageWaves.push({
        stage,
        phases: [phase],
        hosts: new Map([...byHost].map(([key, list]) => [key, [{ phase, steps: list }]])),
        readBack: false,
      });
    }
    const lastWave = stageWaves.at(-1);
    if (lastWave) lastWave.readBack = true;
    waves.push(...stageWaves);
  }
  return waves;
}
