// The lab proves itself with raw ipvsadm: real NAT and DR traffic through a real IPVS kernel.
// Part of `npm test` like the e2e lab suite (LVS_PANEL_LAB=0 or LVS_PANEL_E2E_LAB=0 skips both on a
// machine without qemu); it boots the VM and leaves it running only if it found it up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  disconnectLab,
  ensureLab,
  execInRealserver,
  type LabInfo,
  labExec,
  labRun,
  labStatus,
  sshRealserver,
  stopLab,
} from "./lab.ts";
import { checkDr, checkNat, resetLvs } from "./selftest.ts";
import { REALSERVERS } from "./topology.ts";

const enabled = process.env.LVS_PANEL_LAB !== "0" && process.env.LVS_PANEL_E2E_LAB !== "0";
const names = REALSERVERS.map((rs) => rs.name);

describe.skipIf(!enabled)("lab", () => {
  let lab: LabInfo;
  let wasUp = false;

  beforeAll(async () => {
    wasUp = (await labStatus()) !== undefined;
    lab = await ensureLab();
  });

  afterAll(async () => {
    if (!enabled) return;
    await resetLvs().catch(() => undefined);
    if (wasUp) await disconnectLab();
    else await stopLab();
  });

  it("describes the topology the fixtures were captured from", () => {
    expect(lab.sshHost).toBe("127.0.0.1");
    expect(lab.director.dip).toBe("10.10.0.1");
    expect(lab.realservers.map((rs) => rs.address)).toEqual([
      "10.10.0.11",
      "10.10.0.12",
      "10.10.0.13",
    ]);
    expect(lab.vips).toEqual({ nat: "192.168.77.100", dr: "10.10.0.200" });
    expect(lab.privateKey).toContain("OPENSSH PRIVATE KEY");
  });

  it("has an IPVS kernel whose schedulers load on demand", async () => {
    expect(await labRun("modprobe ip_vs && ipvsadm --version")).toMatch(/ipvsadm v1\.\d+/);
    await labRun("ipvsadm -A -t 10.99.0.1:1 -s wrr && ipvsadm -D -t 10.99.0.1:1");
    expect(await labRun("lsmod")).toMatch(/^ip_vs_wrr\s/m);
    expect(await labRun("command -v ipvsadm-save ipvsadm-restore")).toContain("ipvsadm-restore");
  });

  it("reaches each realserver's own sshd through the director, with its own host key", async () => {
    const fingerprints = new Set(lab.realservers.map((rs) => rs.hostKeyFingerprint));
    expect(fingerprints.size).toBe(3);
    for (const rs of lab.realservers) {
      const conn = await sshRealserver(rs.name);
      try {
        const { stdout } = await conn.exec(
          "hostname; ip -o -4 addr show dev eth0; ip route show default",
        );
        expect(stdout.split("\n")[0]).toBe(rs.name);
        expect(stdout).toContain(`inet ${rs.address}/24`);
        // No default route preset: a NAT apply has to add it.
        expect(stdout).not.toContain("default");
      } finally {
        conn.close();
      }
    }
  });

  it("keeps the files the panel writes on each host apart from the director's", async () => {
    const files = [
      "/etc/sysctl.d/90-lvs-panel.conf",
      "/etc/lvs-panel/addresses.sh",
      "/etc/systemd/system/lvs-panel-addresses.service",
    ];
    const conn = await sshRealserver("rs1");
    try {
      const write = files.map((f) => `mkdir -p "$(dirname ${f})" && echo rs1 > ${f}`);
      // The panel replaces files by rename and removes the director's leftovers on realservers.
      write.push("mv /etc/ipvsadm.rules /etc/ipvsadm.rules.lab-probe", "hostname");
      const result = await conn.exec(write.join(" && "));
      expect(result.stdout).toBe("rs1\n");
    } finally {
      conn.close();
    }
    try {
      expect((await labExec("test -f /etc/ipvsadm.rules")).code).toBe(0);
      for (const file of files) {
        expect((await labExec(`test -e ${file}`)).code).not.toBe(0);
        expect((await execInRealserver("rs1", `cat ${file}`)).stdout).toBe("rs1\n");
        expect((await execInRealserver("rs2", `test -e ${file}`)).code).not.toBe(0);
      }
    } finally {
      await execInRealserver(
        "rs1",
        `rm -f ${files.join(" ")} && mv /etc/ipvsadm.rules.lab-probe /etc/ipvsadm.rules`,
      );
    }
  });

  it("NAT spreads requests from clientnat over all three realservers", async () => {
    const report = await checkNat(6);
    expect(report.bodies).toHaveLength(6);
    for (const name of names) expect(report.perRealserver[name]).toBe(2);
    expect(report.connectionEntries).toBeGreaterThanOrEqual(6);
    expect(report.connectionTable).toMatch(
      /192\.168\.77\.2:\d+\s+192\.168\.77\.100:80\s+10\.10\.0\.1[123]:80/,
    );
    expect(report.save).toContain("-a -t 192.168.77.100:80 -r 10.10.0.11:80 -m -w 1");
  });

  it("DR spreads requests from clientdr over all three realservers", async () => {
    const report = await checkDr(6);
    expect(report.bodies).toHaveLength(6);
    for (const name of names) expect(report.perRealserver[name]).toBe(2);
    expect(report.connectionEntries).toBeGreaterThanOrEqual(6);
    expect(report.connectionTable).toMatch(
      /10\.10\.0\.100:\d+\s+10\.10\.0\.200:80\s+10\.10\.0\.1[123]:80/,
    );
    expect(report.save).toContain("-a -t 10.10.0.200:80 -r 10.10.0.11:80 -g -w 1");
  });

  it("leaves IPVS and the realservers clean", async () => {
    expect(await labRun("ipvsadm-save -n")).toBe("");
    expect(await labRun("ip netns exec rs1 ip route show default")).toBe("");
    expect(await labRun("ip -o addr show dev lan0")).not.toContain("10.10.0.200");
  });
});
