import { describe, expect, it } from "vitest";
import { parseVrrpData } from "./vrrp-data.ts";

// As keepalived 2.2.7 writes it (shared/docs/keepalived.md §3), two instances.
const DUMP = `------< VRRP Topology >------
 VRRP Instance = other
   State = BACKUP
   Priority = 90
 VRRP Instance = lvs_panel_51
   State = MASTER
   Master router = 10.10.0.1
   Flags: none
   Wantstate = MASTER
   Last transition = 1796517909.776294 (Tue Dec  6 10:05:09.776294 2026)
   Interface = lan0
   Virtual Router ID = 51
   Priority = 150
   Effective priority = 150
   Virtual IP (1):
     10.10.0.254/24 dev lan0 scope global set
------< VRRP Sockpool >------
 fd_in 13 fd_out = 14
     lvs_panel_51 vrid 51
------< Interfaces >------
 Name = lan0
   State = UP, RUNNING
`;

describe("keepalived.data", () => {
  it("reads the named instance's state, since when, and its priorities", () => {
    expect(parseVrrpData(DUMP, "lvs_panel_51")).toEqual({
      state: "MASTER",
      since: new Date(1796517909776.294).toISOString(),
      priority: 150,
      effectivePriority: 150,
    });
    expect(parseVrrpData(DUMP, "other")?.state).toBe("BACKUP");
  });

  it("an instance not in the dump is null; an unknown state word is UNKNOWN", () => {
    expect(parseVrrpData(DUMP, "lvs_panel_52")).toBeNull();
    const odd = DUMP.replace("State = MASTER", "State = GOING");
    expect(parseVrrpData(odd, "lvs_panel_51")?.state).toBe("UNKNOWN");
  });
});
