// The login check's script run by this machine's sh (and busybox sh), and its output read into
// sentences; the API's tests run it over SSH against real sshds (root, sudo, no sudo).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  parseLoginCheck,
  renderLoginCheckScript,
  type ToolNeed,
  toolsForUse,
} from "./login-check.ts";

const run = promisify(execFile);

const tools = (use: Partial<Parameters<typeof toolsForUse>[0]>) =>
  toolsForUse({ director: false, realserver: false, keepalived: false, ...use }).map(
    (t) => `${t.tool}${t.required ? "" : "?"}`,
  );

describe("toolsForUse", () => {
  it("asks a director for ipvsadm, ip, sysctl and sha256sum; keepalived only on that engine", () => {
    expect(tools({ director: true })).toEqual(["ipvsadm", "ip", "sysctl", "sha256sum"]);
    expect(tools({ director: true, keepalived: true })).toEqual([
      "ipvsadm",
      "ip",
      "sysctl",
      "sha256sum",
      "keepalived",
    ]);
  });

  it("asks a realserver for ip, sysctl and sha256sum; both roles for the union", () => {
    expect(tools({ realserver: true })).toEqual(["ip", "sysctl", "sha256sum"]);
    expect(tools({ realserver: true, director: true })).toEqual([
      "ipvsadm",
      "ip",
      "sysctl",
      "sha256sum",
    ]);
  });

  it("asks a host not used yet for everything, keepalived optional", () => {
    expect(tools({})).toEqual(["ipvsadm", "ip", "sysctl", "sha256sum", "keepalived?"]);
  });
});

const MISSING: ToolNeed = {
  tool: "lvs-panel-no-such-tool",
  required: true,
  purpose: "nothing",
  install: "apt-get install nothing",
};

describe("renderLoginCheckScript", () => {
  it.each([["sh"], ["busybox"]])(
    "runs under %s and reports found and missing tools",
    async (shell) => {
      const needs = [
        ...toolsForUse({ director: true, realserver: false, keepalived: false }),
        MISSING,
      ];
      const script = renderLoginCheckScript(needs);
      const argv = shell === "busybox" ? ["sh", "-c", script] : ["-c", script];
      const { stdout } = await run(shell, argv);
      const report = parseLoginCheck(stdout, needs);
      // The tests run as root here: no sudo line to check.
      expect(report.user).toBe("root");
      expect(report.items.map((i) => [i.id, i.ok])).toEqual([
        ["login", true],
        ["tool:ipvsadm", true],
        ["tool:ip", true],
        ["tool:sysctl", true],
        ["tool:sha256sum", true],
        ["tool:lvs-panel-no-such-tool", false],
      ]);
      expect(report.ok).toBe(false);
      expect(report.items.at(-1)?.message).toBe(
        "lvs-panel-no-such-tool is not installed (Debian: apt-get install nothing): needed for nothing.",
      );
    },
  );

  it("quotes every tool name and refuses one that is not a plain name", () => {
    const script = renderLoginCheckScript(
      toolsForUse({ director: true, realserver: false, keepalived: false }),
    );
    expect(script).toContain("sh ipvsadm ip sysctl sha256sum");
    expect(() => renderLoginCheckScript([{ ...MISSING, tool: "x; rm -rf /" }])).toThrow(
      /not a tool name/,
    );
    expect(() => renderLoginCheckScript([{ ...MISSING, tool: "-n" }])).toThrow(/not a tool name/);
  });
});

describe("parseLoginCheck", () => {
  const needs = toolsForUse({ director: false, realserver: false, keepalived: false });
  const allFound = [
    "tool ipvsadm found /usr/sbin/ipvsadm",
    "tool ip found /usr/sbin/ip",
    "tool sysctl found /usr/sbin/sysctl",
    "tool sha256sum found /usr/bin/sha256sum",
  ];

  it("a non-root user with sudo -n: fine; an optional tool missing does not fail the test", () => {
    const out = ["user deploy", "sudo ok", ...allFound, "tool keepalived missing", "end", ""];
    const report = parseLoginCheck(out.join("\n"), needs);
    expect(report.ok).toBe(true);
    expect(report.user).toBe("deploy");
    expect(report.items[0]?.message).toBe("Logged in as deploy (not root).");
    expect(report.items[1]).toEqual({
      id: "sudo",
      ok: true,
      required: true,
      message: "sudo -n works: the panel's commands run as root.",
    });
    expect(report.items.at(-1)).toMatchObject({
      id: "tool:keepalived",
      ok: false,
      required: false,
    });
    expect(report.items.at(-1)?.message).toMatch(
      /^keepalived is not installed \(Debian: apt-get install keepalived\).*needed only on a director of a keepalived cluster\.$/,
    );
  });

  it("sudo asking for a password fails the test and says how to fix it", () => {
    const out = ["user deploy", "sudo refused sudo: a password is required", ...allFound, "end"];
    const report = parseLoginCheck(out.join("\n"), needs);
    expect(report.ok).toBe(false);
    expect(report.items[1]?.message).toBe(
      'deploy cannot use sudo without a password (a password is required). The panel runs every command through sudo -n: add "deploy ALL=(root) NOPASSWD: ALL" to /etc/sudoers.d/lvs-panel, or log in as root.',
    );
  });

  it("no sudo at all, for a non-root user, fails the test", () => {
    const out = ["user deploy", "sudo absent", ...allFound, "end"];
    const report = parseLoginCheck(out.join("\n"), needs);
    expect(report.ok).toBe(false);
    expect(report.items[1]?.message).toMatch(/^sudo is not installed, and deploy is not root/);
  });

  it("output cut short: what was not reported counts as failed", () => {
    const report = parseLoginCheck(
      "user root\nsudo root\ntool ipvsadm found /usr/sbin/ipvsadm\n",
      needs,
    );
    expect(report.ok).toBe(false);
    expect(report.items.find((i) => i.id === "tool:ip")).toMatchObject({
      ok: false,
      message: "Could not check whether ip is installed.",
    });
    expect(report.items.at(-1)?.id).toBe("script");
  });
});
