// The director's generation: its sums from a reading, the check script, and what the check says.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { MANAGED_FILES } from "@lvs-panel/lvs";
import { describe, expect, it } from "vitest";
import { MARKER } from "./batch.ts";
import { generationCheckScript, generationOf, parseGenerationCheck } from "./generation.ts";

const sum = (text: string) =>
  execFileSync("sha256sum", { input: text, encoding: "utf8" }).split(" ")[0] ?? "";
const RULES = "/etc/ipvsadm.rules";

function fullReading(table: string, rules: string | null) {
  const outputs = new Map<string, string | null>([["ipvsadm-save", table]]);
  for (const path of MANAGED_FILES) outputs.set(`file:${path}`, null);
  outputs.set(`file:${RULES}`, rules);
  return outputs;
}

/** What the check script prints for a preflight and a generation read with these outcomes. */
const printed = (preflight: [string, number], generation: [string, number]) =>
  [
    `\n${MARKER} read preflight\n${preflight[0]}\n${MARKER} rc ${preflight[1]}\n`,
    `\n${MARKER} read generation\n${generation[0]}\n${MARKER} rc ${generation[1]}\n`,
  ].join("");

describe("the director's generation", () => {
  it("is the sums sha256sum gives, files absent as null; none without the files or with undecodable bytes", () => {
    const table = "-A -t 10.0.0.1:80 -s wrr\n-a -t 10.0.0.1:80 -r 10.10.0.11:8080 -m -w 1\n";
    const generation = generationOf(fullReading(table, table));
    expect(generation?.table).toBe(sum(table));
    expect(generation?.files[RULES]).toBe(sum(table));
    expect(Object.keys(generation?.files ?? {}).sort()).toEqual([...MANAGED_FILES].sort());
    expect(generation?.files["/etc/default/ipvsadm"]).toBeNull();

    expect(generationOf(new Map([["ipvsadm-save", table]]))).toBeUndefined();
    expect(generationOf(fullReading(`${table}\uFFFD`, null))).toBeUndefined();
    expect(generationOf(fullReading(table, "\uFFFD"))).toBeUndefined();
  });

  it("checks the table on stdin and the files in one sha256sum; a file that appeared first", () => {
    const generation = generationOf(fullReading("t\n", "r\n"));
    if (!generation) throw new Error("no generation");
    const script = generationCheckScript({ preflight: "true" }, generation);
    expect(script).toContain(
      `ipvsadm -S -n | sha256sum -c /proc/self/fd/3 3<<'LVS_PANEL_GENERATION' || exit 75`,
    );
    expect(script).toContain(`${sum("t\n")}  -\n${sum("r\n")}  ${RULES}\nLVS_PANEL_GENERATION`);
    expect(script).toContain(
      "if test -e /etc/default/ipvsadm; then echo '/etc/default/ipvsadm: appeared'; exit 75; fi",
    );
  });

  it("reads the verdict: fresh, the table or a file changed, the preflight failed", () => {
    expect(parseGenerationCheck(printed(["", 0], ["", 0]))).toEqual({
      preflightFailure: null,
      stale: null,
    });
    expect(
      parseGenerationCheck(
        printed(
          ["", 0],
          [
            `-: FAILED\n${RULES}: FAILED\nsha256sum: WARNING: 2 computed checksums did NOT match`,
            75,
          ],
        ),
      ),
    ).toEqual({ preflightFailure: null, stale: `the IPVS table, ${RULES}` });
    expect(
      parseGenerationCheck(
        printed(
          ["", 0],
          [`sha256sum: ${RULES}: No such file or directory\n${RULES}: FAILED open or read`, 75],
        ),
      ).stale,
    ).toBe(RULES);
    expect(
      parseGenerationCheck(printed(["", 0], ["/etc/default/ipvsadm: appeared", 75])).stale,
    ).toBe("/etc/default/ipvsadm: appeared");
    expect(
      parseGenerationCheck(printed(["ipvsadm is not installed", 3], ["-: FAILED", 75])),
    ).toEqual({ preflightFailure: "ipvsadm is not installed", stale: "the IPVS table" });
    expect(parseGenerationCheck("").stale).toBe("the generation check did not run");
  });

  it("reads what sha256sum -c says without --quiet: the OK lines are not changes", () => {
    expect(parseGenerationCheck(printed(["", 0], [`-: OK\n${RULES}: FAILED`, 75])).stale).toBe(
      RULES,
    );
  });

  // .ci/run installs busybox; a developer machine may not have it.
  it.skipIf(spawnSync("busybox", ["true"]).status !== 0)(
    "the check runs on busybox's sh and sha256sum (an Alpine director): fresh, then stale",
    () => {
      const table = "-A -t 10.0.0.1:80 -s rr\n";
      const generation = { table: createHash("sha256").update(table).digest("hex"), files: {} };
      const script = generationCheckScript({ preflight: "true" }, generation).replace(
        /ipvsadm -S -n/g,
        `printf '${table.replace("\n", "\\n")}'`,
      );
      const run = (text: string) =>
        spawnSync("busybox", ["sh", "-s"], { input: text, encoding: "utf8" }).stdout;
      expect(parseGenerationCheck(run(script)).stale).toBeNull();
      expect(parseGenerationCheck(run(script.replace("-s rr", "-s wrr"))).stale).toBe(
        "the IPVS table",
      );
    },
  );
});
