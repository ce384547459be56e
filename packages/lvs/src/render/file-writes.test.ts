// The persisted files' writer, run by a real sh in a scratch directory: exact contents, nothing
// half-written, one rename for many files (and plain mv where rename.ul is missing).
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { lexShell, SHELL_ACTIVE } from "../../test/shell-lexer.ts";
import { renderFileWrite, renderFileWrites, TEMP_SUFFIX } from "./file-writes.ts";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratchDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "lvs-file-writes-"));
  scratch.push(dir);
  return dir;
}

/** Runs a script in sh with the given PATH; returns its exit status. */
function sh(script: string, PATH = process.env.PATH ?? ""): number {
  try {
    execFileSync("/bin/sh", ["-c", script], { env: { PATH }, stdio: "pipe" });
    return 0;
  } catch (err) {
    return (err as { status: number }).status;
  }
}

/** A PATH holding only what the writer may run besides builtins, without rename.ul. */
function pathWithoutRename(): string {
  const bin = scratchDir();
  for (const tool of ["mkdir", "mv"]) {
    const found = execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim();
    symlinkSync(found, path.join(bin, tool));
  }
  return bin;
}

const tricky = 'it\'s "$HOME" `id` \\n\n\ttabbed\nno final newline';

describe("renderFileWrites", () => {
  it.each([
    ["rename.ul", undefined],
    ["mv only", "no-rename"],
  ])("writes every file exactly, into new and existing directories (%s)", (_, variant) => {
    const dir = scratchDir();
    const existing = path.join(dir, "etc", "a.conf");
    mkdirSync(path.dirname(existing), { recursive: true });
    writeFileSync(existing, "old");
    const files = [
      { path: existing, content: tricky },
      { path: path.join(dir, "etc", "new", "deep", "b.sh"), content: "#!/bin/sh\nexit 0\n" },
      { path: path.join(dir, "c"), content: "" },
    ];
    const env = variant ? pathWithoutRename() : undefined;
    const script = renderFileWrites(files);
    expect(script.includes("rename.ul")).toBe(true);
    expect(sh(script, env)).toBe(0);
    for (const f of files) expect(readFileSync(f.path, "utf8")).toBe(f.content);
    const left = readdirSync(dir, { recursive: true }).filter((f) =>
      String(f).endsWith(TEMP_SUFFIX),
    );
    expect(left).toEqual([]);
  });

  it("renames nothing when a write fails, so no file is replaced", () => {
    const dir = scratchDir();
    const first = path.join(dir, "first");
    writeFileSync(first, "kept");
    // A directory cannot be made where a file stands: the second write fails.
    writeFileSync(path.join(dir, "blocker"), "");
    const script = renderFileWrites([
      { path: first, content: "new" },
      { path: path.join(dir, "blocker", "second"), content: "x" },
    ]);
    expect(sh(script)).not.toBe(0);
    expect(readFileSync(first, "utf8")).toBe("kept");
  });

  it("writes one file with a plain mv", () => {
    const dir = scratchDir();
    const file = path.join(dir, "only");
    const script = renderFileWrite(file, tricky);
    expect(script).not.toContain("rename.ul");
    expect(sh(script)).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(tricky);
    expect(existsSync(`${file}${TEMP_SUFFIX}`)).toBe(false);
  });

  it("carries any content as one literal word, with nothing the shell would expand", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: "binary" }).filter((s) => !s.includes("\0")),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (contents) => {
          const files = contents.map((content, i) => ({ path: `/etc/x${i}.conf`, content }));
          const lexed = lexShell(renderFileWrites(files));
          expect(lexed.unquoted).not.toMatch(SHELL_ACTIVE);
          const printed = lexed.commands.filter((c) => c[0] === "printf").map((c) => c[2]);
          expect(printed).toEqual(contents);
        },
      ),
      { numRuns: 100 },
    );
  });
});
