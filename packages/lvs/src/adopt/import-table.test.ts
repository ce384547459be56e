import { describe, expect, it } from "vitest";
import { fixture } from "../../test/fixtures.ts";
import { parseIpvsadmList } from "../parse/list.ts";
import { parseIpvsadmSave } from "../parse/save.ts";
import { stateFromSpec } from "../plan/cluster-state.ts";
import { planCluster } from "../plan.ts";
import { renderIpvsadmRestore } from "../render/ipvsadm.ts";
import { importTable, importUnderKeepalived } from "./import-table.ts";

const director = { dip: "10.10.0.1", interface: "lan0" };

describe("importing a live table", () => {
  it("imports every service of the mixed fixture, and planning it again changes nothing in the table", () => {
    const listed = parseIpvsadmSave(fixture("mixed-save.txt")).services;
    const imported = importTable(listed);
    expect(imported.refused).toEqual([]);
    expect(imported.services).toHaveLength(listed.length);
    // The services as imported, put back as the director had them: no ipvsadm step.
    const live = { ...stateFromSpec({ director, services: imported.services }) };
    const plan = planCluster(live, { director, services: imported.services });
    expect(plan.steps.filter((s) => s.op.kind === "ipvsadm")).toEqual([]);
    // And rendering it gives the same table the director listed.
    const again = parseIpvsadmSave(renderIpvsadmRestore({ services: imported.services }));
    expect(again.services).toEqual(listed);
  });

  it("keeps weights 0, persistence netmasks, flags and marks as listed", () => {
    const imported = importTable(parseIpvsadmSave(fixture("mixed-save.txt")).services);
    const byLabel = (vip: string, port: number) =>
      imported.services.find((s) => s.vip === vip && s.port === port);
    expect(byLabel("10.10.0.200", 80)?.realservers.map((r) => r.weight)).toEqual([3, 1, 0]);
    expect(byLabel("192.168.77.100", 8080)).toMatchObject({
      persistence: 60,
      persistenceNetmask: "255.255.255.0",
    });
    expect(byLabel("10.10.0.200", 53)?.schedulerFlags).toEqual(["sh-fallback", "sh-port"]);
    expect(imported.services.find((s) => s.fwmark === 7)?.realservers[0]?.port).toBe(0);
  });

  it("takes the thresholds from the --thresholds listing", () => {
    const save = "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.10.0.11:80 -g -w 1\n";
    const list = parseIpvsadmList(
      [
        "IP Virtual Server version 1.2.1 (size=4096)",
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port            Uthreshold Lthreshold ActiveConn InActConn",
        "TCP  10.0.0.1:80 rr",
        "  -> 10.10.0.11:80                 500        100        0          0         ",
      ].join("\n"),
    );
    const [s] = importTable(parseIpvsadmSave(save).services, list).services;
    expect(s?.realservers[0]).toMatchObject({ upperThreshold: 500, lowerThreshold: 100 });
  });

  it("refuses a whole service, with the reason, for anything the model cannot hold", () => {
    const save = [
      "-A -t 10.0.0.1:80 -s rr -o",
      "-a -t 10.0.0.1:80 -r 10.10.0.11:80 -g -w 1",
      "-A -t 10.0.0.2:80 -s rr",
      "-a -t 10.0.0.2:80 -r 10.10.0.11:80 -g -w 1",
      "-a -t 10.0.0.2:80 -r 10.10.0.12:80 -m -w 1",
      "-A -u 10.0.0.3:5060 -s rr -p 60 --pe sip",
      "-a -u 10.0.0.3:5060 -r 10.10.0.11:5060 -m -w 1",
      "-A -t 10.0.0.4:80 -s rr",
      "-a -t 10.0.0.4:80 -r 10.10.0.11:80 -m -w 1",
    ].join("\n");
    const imported = importTable(parseIpvsadmSave(save).services);
    expect(imported.services.map((s) => s.vip)).toEqual(["10.0.0.4"]);
    expect(imported.refused).toEqual([
      { service: "TCP 10.0.0.1:80", reason: "one-packet scheduling (ipvsadm -o) is not supported" },
      {
        service: "TCP 10.0.0.2:80",
        reason: expect.stringContaining("different forwarding methods (DR and NAT)"),
      },
      { service: "UDP 10.0.0.3:5060", reason: expect.stringContaining("--pe") },
    ]);
  });

  it("under keepalived takes the configured services and refuses what keepalived does not configure", () => {
    const table = importTable(
      parseIpvsadmSave(
        "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.10.0.11:80 -g -w 0\n-A -t 10.0.0.9:80 -s rr\n",
      ).services,
    );
    const configured = {
      protocol: "tcp" as const,
      vip: "10.0.0.1",
      port: 80,
      scheduler: "rr" as const,
      forwarding: "dr" as const,
      healthCheck: {
        type: "http" as const,
        path: "/",
        intervalSeconds: 5,
        timeoutSeconds: 3,
        retries: 2,
      },
      realservers: [{ address: "10.10.0.11", port: 80, weight: 4, enabled: true }],
    };
    const both = importUnderKeepalived(table, { services: [configured], refused: [] });
    expect(both.services).toEqual([configured]);
    expect(both.refused).toEqual([
      { service: "TCP 10.0.0.9:80", reason: expect.stringContaining("not in keepalived.conf") },
    ]);
  });
});
