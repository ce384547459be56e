import { describe, expect, it } from "vitest";
import { toolErrorHints } from "./tool-hints.ts";

describe("toolErrorHints", () => {
  it.each([
    [
      'Error: argument "tcp" is wrong: Invalid "ipproto" value',
      /^This host has no \/etc\/protocols/,
    ],
    ["RTNETLINK answers: File exists", /already on the host/],
    ["RTNETLINK answers: No such process", /no longer on the host/],
    ['Cannot find device "eth9"', /interface named in the cluster does not exist/],
    ["RTNETLINK answers: Operation not permitted", /connect as root/],
    ["sudo: a terminal is required to read the password", /^sudo asks for a password/],
    ["Memory allocation problem", /ip_vs kernel module is not loaded/],
    ["Can't initialize ipvs: Protocol not available", /modprobe ip_vs/],
    ["modprobe: FATAL: Module ip_vs not found in directory /lib/modules/6.1", /no IPVS module/],
    ["sh: 1: keepalived: not found", /keepalived is not installed/],
    ["bash: keepalived: command not found", /keepalived is not installed/],
    ["bash: ipvsadm: command not found", /ipvsadm is not installed/],
    [
      "sysctl: cannot stat /proc/sys/net/ipv4/conf/tunl0/rp_filter: No such file",
      /no such setting/,
    ],
    ["sh: 1: cannot create /etc/sysctl.d/90-lvs.conf: Read-only file system", /read-only/],
  ])("%s", (output, hint) => {
    const hints = toolErrorHints(output);
    expect(hints).toHaveLength(1);
    expect(hints[0]).toMatch(hint);
  });

  it("says nothing of output it does not recognise, or of none", () => {
    expect(toolErrorHints("something else went wrong")).toEqual([]);
    expect(toolErrorHints("  \n")).toEqual([]);
  });

  it("finds the hint in the middle of a longer output, once per kind", () => {
    const output = [
      "+ ip -4 rule add priority 4100 from 10.10.0.12 ipproto tcp sport 80 lookup 4100",
      'Error: argument "tcp" is wrong: Invalid "ipproto" value',
      'Error: argument "udp" is wrong: Invalid "ipproto" value',
    ].join("\n");
    expect(toolErrorHints(output)).toEqual([expect.stringMatching(/no \/etc\/protocols/)]);
  });

  it("names the specific sudo problem, not the generic permission one", () => {
    const hints = toolErrorHints("sudo: a password is required\nPermission denied");
    expect(hints).toEqual([expect.stringMatching(/^sudo asks for a password/)]);
  });

  it("does not read SSH's refused login as a permission problem on the host", () => {
    expect(toolErrorHints("root@10.10.0.11: Permission denied (publickey,password).")).toEqual([]);
  });
});
