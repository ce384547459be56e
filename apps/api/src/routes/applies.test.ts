// Plan and apply against real sshd hosts (sandboxed in network + mount namespaces, ipvsadm faked:
// see test/sandbox-host.ts): NAT, the NAT→DR toggle, a step failing mid-apply and the rollback
// that follows, an unreachable host, and two applies at once.

import { type ClientKeys, makeClientKeys } from "@lvs-panel/remote/test/sshd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiSession } from "../../test/api-session.ts";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { type SandboxHost, startSandboxHost } from "../../test/sandbox-host.ts";

let keys: ClientKeys;
let director: SandboxHost;
let rs1: SandboxHost;
let rs2: SandboxHost;
let t: TestApp;
let clusterId: string;
let serviceId: string;
const rsIds: string[] = [];

const { req, addTrustedHost: addHost, applyAndWait: applyCluster } = apiSession(() => t);
const addTrustedHost = (h: SandboxHost) => addHost(h, keys.ed25519);
const applyAndWait = (body: Record<string, unknown> = {}) => applyCluster(clusterId, body);

beforeAll(async () => {
  keys = await makeClientKeys();
  [director, rs1, rs2] = await Promise.all([
    startSandboxHost({
      name: "director",
      authorizedKeys: keys.authorizedKeys,
      lan: "10.10.0.1/24",
    }),
    startSandboxHost({ name: "rs1", authorizedKeys: keys.authorizedKeys, lan: "10.10.0.11/24" }),
    startSandboxHost({ name: "rs2", authorizedKeys: keys.authorizedKeys, lan: "10.10.0.12/24" }),
  ]);
  t = await startTestApp();
  const [dirId, rs1Id, rs2Id] = [
    await addTrustedHost(director),
    await addTrustedHost(rs1),
    await addTrustedHost(rs2),
  ];
  clusterId = (await req("POST", "/api/clusters", { name: "web" })).json().id;
  await req("PUT", `/api/clusters/${clusterId}/director`, {
    hostId: dirId,
    dip: "10.10.0.1",
    interface: "lan0",
  });
  serviceId = (
    await req("POST", `/api/clusters/${clusterId}/services`, {
      protocol: "tcp",
      vip: "10.10.0.200",
      port: 80,
      scheduler: "rr",
      forwarding: "nat",
    })
  ).json().id;
  for (const [address, hostId] of [
    ["10.10.0.11", rs1Id],
    ["10.10.0.12", rs2Id],
  ] as const) {
    const rs = await req("POST", `/api/services/${serviceId}/realservers`, {
      address,
      port: 80,
      hostId,
    });
    rsIds.push(rs.json().id);
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
  await Promise.all([director, rs1, rs2].map((h) => h?.stop()));
});

describe("plan and apply over SSH", () => {
  it("previews the exact commands per host, then applies NAT to director and realservers", async () => {
    const plan = await req("POST", `/api/clusters/${clusterId}/plan`, {});
    expect(plan.statusCode, plan.body).toBe(200);
    const view = plan.json();
    expect(view.summary.lines).toContain("add service TCP 10.10.0.200:80");
    const hostNames = view.hosts.map((h: { hostName: string }) => h.hostName);
    expect(hostNames).toEqual(["director", "rs1", "rs2"]);
    const directorCommands = view.hosts[0].steps
      .map((s: { command: string }) => s.command)
      .join("\n");
    expect(directorCommands).toContain("-A -t 10.10.0.200:80 -s rr");
    expect(directorCommands).toContain("-a -t 10.10.0.200:80 -r 10.10.0.11:80 -m -w 1");
    expect(directorCommands).toContain("sysctl -w net.ipv4.ip_forward=1");

    // Every script sent over SSH during the apply, per host: as its own exec, or on the one
    // shell per host an apply keeps open.
    const sent: { address: string; script: string; via: "exec" | "shell" }[] = [];
    const run = t.app.ssh.run.bind(t.app.ssh);
    const session = t.app.ssh.session.bind(t.app.ssh);
    t.app.ssh.run = (target, cmd, o) => {
      if ("script" in cmd) sent.push({ address: target.address, script: cmd.script, via: "exec" });
      return run(target, cmd, o);
    };
    t.app.ssh.session = (target) => {
      const s = session(target);
      return {
        ...s,
        run: (cmd, o) => {
          if ("script" in cmd)
            sent.push({ address: target.address, script: cmd.script, via: "shell" });
          return s.run(cmd, o);
        },
      };
    };
    const apply = await applyAndWait({ planHash: view.hash });
    t.app.ssh.run = run;
    t.app.ssh.session = session;
    expect(sent.filter((x) => x.via === "exec")).toEqual([]);
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
    expect(apply.user).toBe("admin");

    // What ran is what the preview showed, byte for byte, plus one read per host (the preflight
    // and snapshot together), and a read-back only for hosts that had no step in the last
    // runtime wave (the others read back in that wave's round trip).
    const hosts = { director, rs1, rs2 } as Record<string, SandboxHost>;
    for (const h of view.hosts as { hostName: string; scripts: { script: string }[] }[]) {
      const address = hosts[h.hostName]?.address;
      const scripts = sent.filter((x) => x.address === address).map((x) => x.script);
      const changing = scripts.filter((x) => x.includes("@@lvs-panel begin"));
      expect(changing).toEqual(h.scripts.map((x) => x.script));
      const reads = scripts.length - changing.length;
      expect(reads).toBe(h.hostName === "director" ? 1 : 2);
    }

    // The hosts, read directly: the table, the VIP, forwarding, the return route, persistence.
    const table = director.ipvs();
    expect(table).toHaveLength(1);
    expect(table[0]?.realservers.map((r) => r.address).sort()).toEqual([
      "10.10.0.11",
      "10.10.0.12",
    ]);
    expect(await director.exec(["ip", "-o", "addr", "show", "dev", "lan0"])).toContain(
      "10.10.0.200/32",
    );
    expect((await director.exec(["sysctl", "-n", "net.ipv4.ip_forward"])).trim()).toBe("1");
    expect(director.etcFile("sysctl.d/90-lvs-panel.conf")).toContain("net.ipv4.ip_forward = 1");
    expect(director.etcFile("ipvsadm.rules")).toContain("-A -t 10.10.0.200:80 -s rr");
    for (const rs of [rs1, rs2]) {
      expect(await rs.exec(["ip", "-4", "rule", "show"])).toMatch(/lookup 4100/);
      expect(await rs.exec(["ip", "-4", "route", "show", "table", "4100"])).toContain(
        "default via 10.10.0.1",
      );
    }
    // Idempotent: planning again finds nothing to do.
    expect((await req("POST", `/api/clusters/${clusterId}/plan`, {})).json().empty).toBe(true);
  });

  it("the NAT→DR toggle is one apply: -m becomes -g, realservers get ARP settings and the VIP on lo", async () => {
    await req("PATCH", `/api/services/${serviceId}`, { forwarding: "dr" });
    const view = (await req("POST", `/api/clusters/${clusterId}/plan`, {})).json();
    expect(view.summary.lines.join("\n")).toMatch(/from nat to dr/i);
    const apply = await applyAndWait({ planHash: view.hash });
    expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("succeeded");
    expect(director.ipvs()[0]?.forwarding).toBe("dr");
    expect(await director.exec(["ip", "-o", "addr", "show", "dev", "lan0"])).toContain(
      "10.10.0.200/32",
    );
    for (const rs of [rs1, rs2]) {
      expect((await rs.exec(["sysctl", "-n", "net.ipv4.conf.all.arp_ignore"])).trim()).toBe("1");
      expect((await rs.exec(["sysctl", "-n", "net.ipv4.conf.lo.arp_announce"])).trim()).toBe("2");
      expect(await rs.exec(["ip", "-o", "addr", "show", "dev", "lo"])).toContain("10.10.0.200/32");
      expect(await rs.exec(["ip", "-4", "rule", "show"])).not.toMatch(/lookup 4100/);
      expect(rs.etcFile("sysctl.d/90-lvs-panel.conf")).toContain("arp_ignore = 1");
    }
  });

  it("a step failing mid-apply rolls every touched host back to its snapshot", async () => {
    const before = JSON.stringify(director.ipvs());
    await req("PATCH", `/api/realservers/${rsIds[0]}`, { weight: 5 });
    await req("POST", `/api/clusters/${clusterId}/services`, {
      protocol: "tcp",
      vip: "10.10.0.201",
      port: 443,
      scheduler: "wlc",
      forwarding: "dr",
    });
    director.failIpvsadmOn("-e -t 10.10.0.200:80"); // the weight edit fails, after -A of :443
    try {
      const apply = await applyAndWait();
      expect(apply.status, JSON.stringify(apply.events, null, 1)).toBe("rolled_back");
      expect(apply.error).toMatch(/simulated failure/);
      const failed = apply.events.find(
        (e: { status: string; command?: string }) => e.status === "failed" && e.command,
      );
      expect(failed.hostName).toBe("director");
      expect(JSON.stringify(director.ipvs())).toBe(before);
      // The realservers' VIP for the new service was added in "prepare" and is gone again.
      for (const rs of [rs1, rs2]) {
        expect(await rs.exec(["ip", "-o", "addr", "show", "dev", "lo"])).not.toContain(
          "10.10.0.201",
        );
      }
    } finally {
      director.failIpvsadmOn(null);
    }
    // Nothing was lost: the desired change is still pending and applies once the fault is gone.
    const retry = await applyAndWait();
    expect(retry.status).toBe("succeeded");
    expect(director.ipvs().find((s) => s.port === 80)?.realservers[0]?.weight).toBe(5);
  });

  it("a realserver whose sshd is gone blocks only the changes that need it", async () => {
    await rs2.stopSshd();
    try {
      // Its own weight is the director's business: applied without it.
      await req("PATCH", `/api/realservers/${rsIds[1]}`, { weight: 3 });
      const reweight = await applyAndWait();
      expect(reweight.status, JSON.stringify(reweight.events, null, 1)).toBe("succeeded");
      const port80 = director.ipvs().find((s) => s.port === 80);
      expect(port80?.realservers.find((r) => r.address === "10.10.0.12")?.weight).toBe(3);

      // Joining the :443 service needs its VIP on rs2's lo: refused, naming rs2, nothing changed.
      type Svc = { id: string; port: number; realservers: { id: string; hostId: string }[] };
      const services: Svc[] = (await req("GET", `/api/clusters/${clusterId}`)).json().services;
      const rs2HostId = services
        .flatMap((s) => s.realservers)
        .find((r) => r.id === rsIds[1])?.hostId;
      const added = (
        await req("POST", `/api/services/${services.find((s) => s.port === 443)?.id}/realservers`, {
          address: "10.10.0.12",
          port: 443,
          hostId: rs2HostId,
        })
      ).json();
      const before = JSON.stringify(director.ipvs());
      const res = await req("POST", `/api/clusters/${clusterId}/apply`, {});
      expect(res.statusCode, res.body).toBe(502);
      expect(res.json().code).toBe("SSH_HOST_UNREACHABLE");
      expect(res.json().message).toMatch(
        /^rs2 \(10\.10\.0\.12\) cannot be reached \(.*10\.\d+\.\d+\.2.*\), and this change needs it: Add 10\.10\.0\.201\/32 on lo/,
      );
      expect(JSON.stringify(director.ipvs())).toBe(before);
      expect((await req("DELETE", `/api/realservers/${added.id}`)).statusCode).toBe(204);
    } finally {
      await rs2.startSshd();
    }
  });

  it("runs one apply per cluster at a time: a second one gets 409", async () => {
    await req("PATCH", `/api/realservers/${rsIds[1]}`, { weight: 4 });
    const [a, b] = await Promise.all([
      req("POST", `/api/clusters/${clusterId}/apply`, {}),
      req("POST", `/api/clusters/${clusterId}/apply`, {}),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([202, 409]);
    const winner = (a.statusCode === 202 ? a : b).json().applyId;
    for (let i = 0; i < 300; i++) {
      if ((await req("GET", `/api/applies/${winner}`)).json().status !== "running") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const history = (await req("GET", `/api/clusters/${clusterId}/applies`)).json();
    expect(history[0].status).toBe("succeeded");
    expect(history.map((h: { status: string }) => h.status)).toContain("rolled_back");
  });
});
