// The invocation text is run by a local /bin/sh here (the same dash a Debian host runs), so quoting
// is checked by a real shell, for generated arguments as well as listed ones.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { buildInvocation } from "./command.ts";
import { InvalidCommandError } from "./errors.ts";

// A stand-in for sudo that checks the flags the real one would get, then runs the command.
const shimDir = mkdtempSync(path.join(tmpdir(), "lvs-remote-shim-"));
writeFileSync(
  path.join(shimDir, "sudo"),
  '#!/bin/sh\n[ "$1" = -n ] && [ "$2" = -- ] || { echo "bad sudo flags: $*" >&2; exit 99; }\nshift 2\nexec "$@"\n',
);
chmodSync(path.join(shimDir, "sudo"), 0o755);
afterAll(() => rmSync(shimDir, { recursive: true, force: true }));

function runLocally(inv: ReturnType<typeof buildInvocation>) {
  const res = spawnSync("/bin/sh", ["-c", inv.commandText], {
    input: inv.stdin ?? "",
    env: { PATH: `${shimDir}:/usr/bin:/bin` },
    encoding: "utf8",
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

// Any text without NUL, weighted towards the characters a shell treats specially.
const shellish = fc.constantFrom(..."'\"\\$`\n\t ;|&*?~#(){}[]<>=%!-", "a", "é", "🚀");
const anyArg = fc
  .oneof(
    fc.string({ unit: shellish, maxLength: 20 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
  )
  .filter((s) => !s.includes("\0"));

describe("buildInvocation", () => {
  it.each([false, true])("delivers any argument verbatim (sudo: %s)", (sudo) => {
    fc.assert(
      fc.property(fc.array(anyArg, { minLength: 1, maxLength: 4 }), (args) => {
        const out = runLocally(buildInvocation({ argv: ["printf", "%s\\n", ...args] }, { sudo }));
        expect(out).toEqual({ code: 0, stdout: args.map((a) => `${a}\n`).join(""), stderr: "" });
      }),
      { numRuns: 60 },
    );
  });

  it("runs scripts from stdin, under sudo too, and keeps their stdin away from children", () => {
    for (const sudo of [false, true]) {
      const inv = buildInvocation({ script: 'read x || true\necho "x=$x"\nexit 4' }, { sudo });
      expect(inv.commandText).not.toContain("exit 4");
      expect(runLocally(inv)).toEqual({ code: 4, stdout: "x=\n", stderr: "" });
    }
  });

  it("passes stdin to argv commands", () => {
    expect(runLocally(buildInvocation({ argv: ["cat"] }, { stdin: "a\nb" })).stdout).toBe("a\nb");
  });

  it("wraps sudo as sudo -n -- sh -c", () => {
    const inv = buildInvocation({ argv: ["ipvsadm", "-Ln"] }, { sudo: true });
    expect(inv.commandText).toMatch(/^sudo -n -- sh -c /);
    expect(inv.killText).toMatch(
      /^sudo -n -- sh -c '.*pkill -TERM.*' lvs-panel-kill 'lvs-pane\[l\]-[0-9a-f]{16}'$/,
    );
  });

  it.each([
    [{ argv: [] }, "argv"],
    [{ argv: [""] }, "argv"],
    [{ argv: ["echo", "a\0b"] }, "argv"],
    [{ argv: ["echo", 1 as unknown as string] }, "argv"],
    [{ script: "  \n" }, "script"],
    [{ script: "echo \0" }, "script"],
  ])("rejects %j", (cmd, field) => {
    expect(() => buildInvocation(cmd)).toThrow(InvalidCommandError);
    expect(() => buildInvocation(cmd)).toThrow(expect.objectContaining({ field }));
  });

  it("rejects stdin for a script, whose stdin is the script", () => {
    expect(() => buildInvocation({ script: "true" }, { stdin: "x" })).toThrow(
      /cannot take other stdin/,
    );
  });
});
