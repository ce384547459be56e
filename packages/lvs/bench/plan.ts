// Plan benchmark: 1,000 services x 20 realservers, the same 20 realservers behind every service
// (so each carries 1,000 VIPs on lo), a fair worst case for the host-level part of a plan.
// Each case is timed several times after warm-up and the median reported: one cold run mostly
// measures the JIT and whichever GC happens to fall into it.

import type { ClusterSpec } from "../src/model.ts";
import { stateFromSpec } from "../src/plan/cluster-state.ts";
import { planCluster, planTransition } from "../src/plan.ts";

export const PLAN_TARGET_MS = 100;

export interface PlanRow {
  name: string;
  /** Median CPU time (user + system) of the timed runs. */
  cpuMs: number;
  /** Median wall time; above cpuMs when the machine is shared. */
  wallMs: number;
  minCpuMs: number;
  maxCpuMs: number;
  runs: number;
  steps: number;
  ok: boolean;
}

export function bigSpec(weightOffset: number): ClusterSpec {
  const services = [];
  for (let i = 0; i < 1000; i++) {
    const realservers = [];
    for (let j = 0; j < 20; j++) {
      realservers.push({
        address: `10.1.${Math.floor(j / 250)}.${(j % 250) + 2}`,
        port: 80,
        weight: 1 + ((j + weightOffset) % 5),
        enabled: true,
      });
    }
    services.push({
      protocol: "tcp" as const,
      vip: `10.1.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`,
      port: 80,
      scheduler: "wrr" as const,
      forwarding: "dr" as const,
      realservers,
    });
  }
  return { director: { dip: "10.1.0.1", interface: "eth0", dipPrefix: 16 }, services };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function time(name: string, run: () => { steps: unknown[] }, warmup = 3, runs = 9): PlanRow {
  for (let i = 0; i < warmup; i++) run();
  const cpu: number[] = [];
  const wall: number[] = [];
  let steps = 0;
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    steps = run().steps.length;
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const cpuMs = median(cpu);
  return {
    name,
    cpuMs,
    wallMs: median(wall),
    minCpuMs: Math.min(...cpu),
    maxCpuMs: Math.max(...cpu),
    runs,
    steps,
    ok: cpuMs < PLAN_TARGET_MS,
  };
}

export function planBench(): PlanRow[] {
  const empty: ClusterSpec = { director: null, services: [] };
  const a = bigSpec(0);
  const b = bigSpec(1);
  // Rollback compares two live states; derived here, outside the timed part, as a read-back
  // would be in the API.
  const before = stateFromSpec(a);
  const after = stateFromSpec(b);
  const bare = stateFromSpec({ director: a.director, services: [] });
  return [
    time("plan 1000x20 from empty", () => planCluster(empty, a)),
    time("plan 1000x20 weights changed", () => planCluster(a, b)),
    time("plan 1000x20 unchanged", () => planCluster(a, a)),
    time("rollback 1000x20 weights (planTransition)", () => planTransition(after, before)),
    time("rollback 1000x20 to bare (planTransition)", () => planTransition(before, bare)),
  ];
}
