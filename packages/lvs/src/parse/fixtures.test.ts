// Every captured file in the shared fixture directory must parse without a single error line.
import { describe, expect, it } from "vitest";
import { fixture, fixtureNames } from "../../test/fixtures.ts";
import { ConnectionTableParser } from "./connections.ts";
import { parseIpvsadmList } from "./list.ts";
import { parseIpvsadmSave } from "./save.ts";
import { parseIpvsadmTimeout } from "./timeout.ts";
import { parseIpvsadmVersion } from "./version.ts";

function parseAny(name: string, text: string): { errors: unknown[]; items: number } {
  if (name.endsWith("-Lnc.txt")) {
    const r = new ConnectionTableParser("ipvsadm").write(text).end();
    return { errors: r.errors, items: r.entries };
  }
  if (name.includes("proc")) {
    const r = new ConnectionTableParser("proc").write(text).end();
    return { errors: r.errors, items: r.entries };
  }
  if (name.endsWith("-save.txt")) {
    const r = parseIpvsadmSave(text);
    return { errors: r.errors, items: r.services.length };
  }
  if (name.endsWith("-timeout.txt") || name.endsWith("-version.txt")) {
    const r = name.endsWith("-timeout.txt") ? parseIpvsadmTimeout(text) : parseIpvsadmVersion(text);
    return { errors: "error" in r ? [r.error] : [], items: 1 };
  }
  const r = parseIpvsadmList(text);
  return { errors: r.errors, items: r.services.length };
}

describe("shared fixtures", () => {
  const names = fixtureNames().filter((n) => n !== "README.md");
  it("finds the fixture directory", () => expect(names.length).toBeGreaterThanOrEqual(17));
  it.each(names)("%s parses with no error lines", (name) => {
    const r = parseAny(name, fixture(name));
    expect(r.errors).toEqual([]);
    expect(r.items).toBeGreaterThan(0);
  });
});
