// TUN forwarding on the real kernel: the steps the planner renders for a TUN service, run as they
// are on the lab's director and realservers (the VIP on tunl0 of the ipip module, rp_filter off,
// DR's ARP restrictions), carry a client's requests to every realserver through IP-in-IP tunnels;
// the plan back to nothing takes it all away again. Runtime phases only: the persisted files are
// the same code paths as NAT and DR, proven by the e2e suite.
import {
  argvToShell,
  type ClusterSpec,
  PLAN_PHASES,
  type Plan,
  planCluster,
  type Step,
  stateFromSpec,
} from "@lvs-panel/lvs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  curlFromClient,
  disconnectLab,
  ensureLab,
  execInRealserver,
  labRun,
  labStatus,
  stopLab,
} from "./lab.ts";
import { resetLvs } from "./selftest.ts";
import { CLIENTS, DIP, HTTP_PORT, LAN_INTERFACE, REALSERVERS, VIPS } from "./topology.ts";

const enabled = process.env.LVS_PANEL_LAB !== "0" && process.env.LVS_PANEL_E2E_LAB !== "0";
const VIP = VIPS.dr;

const tun: ClusterSpec = {
  director: { dip: DIP, interface: LAN_INTERFACE },
  services: [
    {
      protocol: "tcp",
      vip: VIP,
      port: HTTP_PORT,
      scheduler: "rr",
      forwarding: "tun",
      realservers: REALSERVERS.map((rs) => ({
        address: rs.address,
        port: HTTP_PORT,
        weight: 1,
        enabled: true,
      })),
    },
  ],
};
const none: ClusterSpec = { director: tun.director, services: [] };

/** Runs a plan's runtime steps where they belong, in order. */
async function run(plan: Plan): Promise<string[]> {
  const ran: string[] = [];
  const runtime = new Set<string>(PLAN_PHASES.filter((p) => p.valueOf() !== "persist"));
  for (const phase of plan.phases) {
    if (!runtime.has(phase.phase)) continue;
    for (const step of phase.steps) {
      const command = commandOf(step);
      ran.push(command);
      if (typeof step.host === "string") {
        await labRun(command);
        continue;
      }
      const address = step.host.realserver;
      const rs = REALSERVERS.find((r) => r.address === address);
      if (!rs) throw new Error(`no lab realserver ${address}`);
      const res = await execInRealserver(rs.name, command);
      if (res.code !== 0) throw new Error(`${rs.name}: ${command}: ${res.stdout}${res.stderr}`);
    }
  }
  return ran;
}

function commandOf(step: Step): string {
  if (step.script) return step.script;
  if (step.argv) return argvToShell(step.argv);
  throw new Error(`${step.id}: nothing to run`);
}

describe.skipIf(!enabled)("TUN forwarding on the lab kernel", () => {
  let wasUp = false;

  beforeAll(async () => {
    wasUp = (await labStatus()) !== undefined;
    await ensureLab();
    await resetLvs();
  }, 20 * 60_000);

  afterAll(async () => {
    if (!enabled) return;
    await resetLvs().catch(() => undefined);
    if (wasUp) await disconnectLab();
    else await stopLab();
  });

  it(
    "the planned steps tunnel every request to a realserver, which answers the client directly",
    async () => {
      const ran = await run(planCluster(stateFromSpec(none), tun));
      expect(ran.join("\n")).toContain("-i -w 1");
      expect(await labRun("ipvsadm -Ln")).toMatch(/-> 10\.10\.0\.11:80\s+Tunnel\s+1/);
      for (const rs of REALSERVERS) {
        const addr = await execInRealserver(rs.name, "ip -o -4 addr show dev tunl0");
        expect(addr.stdout).toContain(`${VIP}/32`);
        const filters = await execInRealserver(
          rs.name,
          "sysctl -n net.ipv4.conf.all.rp_filter net.ipv4.conf.tunl0.rp_filter net.ipv4.conf.all.arp_ignore",
        );
        expect(filters.stdout.trim().split("\n")).toEqual(["0", "0", "1"]);
      }
      const seen = new Set<string>();
      for (let i = 0; i < 9; i++) {
        const res = await curlFromClient(CLIENTS.dr.namespace, `http://${VIP}:${HTTP_PORT}/`);
        if (res.code === 0) seen.add(res.stdout.trim());
      }
      expect([...seen].sort()).toEqual(REALSERVERS.map((rs) => rs.name));
      // The replies went straight back: the director saw only the requests (no NAT, no return).
      expect(await labRun("ipvsadm -Lnc")).toMatch(
        /TCP .* 10\.10\.0\.200:80\s+10\.10\.0\.1[123]:80/,
      );
    },
    5 * 60_000,
  );

  it(
    "the plan back to nothing takes the VIP off every tunl0 and the service off the director",
    async () => {
      await run(planCluster(stateFromSpec(tun), none));
      expect(await labRun("ipvsadm -Ln")).not.toContain(VIP);
      for (const rs of REALSERVERS) {
        const addr = await execInRealserver(rs.name, "ip -o -4 addr show dev tunl0");
        expect(addr.stdout).not.toContain(VIP);
      }
    },
    5 * 60_000,
  );
});
