import { describe, expect, it } from "vitest";
import type { PlanStep } from "../../../api/types.ts";
import { groupSteps } from "./planSteps.ts";

const step = (id: string, phase: PlanStep["phase"], command: string): PlanStep => ({
  id,
  phase,
  description: id,
  command,
});

describe("groupSteps", () => {
  it("orders phases as they run and shows a batched command once", () => {
    const batch =
      "ipvsadm -R <<'EOF'\n-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -g\nEOF";
    const groups = groupSteps([
      step("persist", "persist", "write"),
      step("svc", "director-apply", batch),
      step("rs", "director-apply", batch),
      step("vip", "prepare", "ip addr replace 10.0.0.1/32 dev eth0"),
    ]);
    expect(groups.map((g) => g.phase)).toEqual(["prepare", "director-apply", "persist"]);
    expect(groups[1]?.commands).toHaveLength(1);
    expect(groups[1]?.commands[0]?.steps.map((s) => s.id)).toEqual(["svc", "rs"]);
  });
});
