import { validateServiceInput } from "@lvs-panel/lvs";
import { describe, expect, it } from "vitest";
import { mergeServicePatch, type ServiceInput } from "./service-patch.ts";

const sh: ServiceInput = {
  protocol: "tcp",
  vip: "10.0.0.200",
  port: 80,
  scheduler: "sh",
  schedulerFlags: ["sh-port"],
  persistence: 300,
  persistenceNetmask: "255.255.255.0",
  forwarding: "dr",
};

describe("mergeServicePatch", () => {
  // [what the PATCH does, patch, fields of the merged service that differ from `sh`, domain codes]
  const cases: [string, Partial<ServiceInput>, Partial<ServiceInput>, string[]][] = [
    ["keeps everything for an empty patch", {}, {}, []],
    [
      "replaces the fields it gives",
      { port: 8080, forwarding: "nat" },
      { port: 8080, forwarding: "nat" },
      [],
    ],
    [
      "drops the old scheduler's flags for a new scheduler",
      { scheduler: "mh" },
      { scheduler: "mh", schedulerFlags: [] },
      [],
    ],
    [
      "drops them for a scheduler that takes none",
      { scheduler: "rr" },
      { scheduler: "rr", schedulerFlags: [] },
      [],
    ],
    ["keeps the flags when the scheduler is given unchanged", { scheduler: "sh" }, {}, []],
    [
      "takes the flags given with a new scheduler",
      { scheduler: "mh", schedulerFlags: ["mh-port"] },
      { scheduler: "mh", schedulerFlags: ["mh-port"] },
      [],
    ],
    [
      "takes flags given alone, which the domain checks against the kept scheduler",
      { schedulerFlags: ["mh-port"] },
      { schedulerFlags: ["mh-port"] },
      ["INVALID_SCHEDULER_FLAG"],
    ],
    ["clears the flags given as empty", { schedulerFlags: [] }, { schedulerFlags: [] }, []],
    [
      "keeps the netmask when persistence is cleared, which the domain refuses",
      { persistence: null },
      { persistence: null },
      ["NETMASK_WITHOUT_PERSISTENCE"],
    ],
    [
      "clears both when both are cleared",
      { persistence: null, persistenceNetmask: null },
      { persistence: null, persistenceNetmask: null },
      [],
    ],
    ["keeps the netmask when persistence changes", { persistence: 60 }, { persistence: 60 }, []],
    ["clears the netmask alone", { persistenceNetmask: null }, { persistenceNetmask: null }, []],
    [
      "keeps a dotted netmask when the VIP becomes IPv6, which the domain refuses",
      { vip: "fd00::200" },
      { vip: "fd00::200" },
      ["INVALID_NETMASK"],
    ],
  ];

  it.each(cases)("%s", (_what, patch, changed, codes) => {
    const merged = mergeServicePatch(sh, patch);
    expect(merged).toEqual({ ...sh, ...changed });
    expect(validateServiceInput(merged).map((issue) => issue.code)).toEqual(codes);
  });

  it("starts from no flags when the stored service has none", () => {
    const { schedulerFlags: _none, ...stored } = sh;
    expect(mergeServicePatch(stored, {}).schedulerFlags).toEqual([]);
  });
});
