import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../api/types.ts";
import {
  describeAction,
  describeSubject,
  diffValues,
  knownNames,
  prettyJson,
  summarizeChange,
} from "./auditDiff.ts";

function entry(partial: Partial<AuditEntry>): AuditEntry {
  return {
    id: "a1",
    at: "2025-01-01T00:00:00.000Z",
    username: "admin",
    action: "service.update",
    entityType: "service",
    entityId: "s1",
    before: null,
    after: null,
    apply: null,
    ...partial,
  };
}

describe("diffValues", () => {
  it("marks changed, added, removed and unchanged keys, changes first", () => {
    const rows = diffValues(
      { port: 80, scheduler: "wlc", persistence: null, old: 1 },
      { port: 443, scheduler: "wlc", persistence: null, flags: ["sh-port"] },
    );
    expect(rows.map((r) => [r.key, r.kind])).toEqual([
      ["port", "changed"],
      ["old", "removed"],
      ["flags", "added"],
      ["scheduler", "same"],
      ["persistence", "same"],
    ]);
    expect(rows.find((r) => r.key === "flags")?.after).toBe('[\n  "sh-port"\n]');
    expect(rows.find((r) => r.key === "old")?.after).toBeNull();
  });

  it("treats a create as every key added and a delete as every key removed", () => {
    expect(diffValues(null, { name: "web" })).toEqual([
      { key: "name", kind: "added", before: null, after: '"web"' },
    ]);
    expect(diffValues({ name: "web" }, null)[0]?.kind).toBe("removed");
  });

  it("compares nested values by content and handles scalars", () => {
    expect(diffValues({ a: { b: 1 } }, { a: { b: 1 } })[0]?.kind).toBe("same");
    expect(diffValues("x", "y")).toEqual([
      { key: "value", kind: "changed", before: '"x"', after: '"y"' },
    ]);
    expect(diffValues(null, null)).toEqual([]);
  });
});

describe("naming entries", () => {
  it("describes actions", () => {
    expect(describeAction("service.update")).toBe("Updated service");
    expect(describeAction("token.revoke")).toBe("Revoked token");
    expect(describeAction("odd")).toBe("odd");
  });

  it("names the subject from the values, else the id", () => {
    expect(describeSubject(entry({ after: { name: "web" } }))).toBe("web");
    expect(describeSubject(entry({ before: { username: "bob" } }))).toBe("bob");
    expect(describeSubject(entry({ after: { vip: "2001:db8::1", port: 443 } }))).toBe(
      "[2001:db8::1]:443",
    );
    expect(describeSubject(entry({}))).toBe("s1");
    const revoke = entry({ entityId: "t1", before: { prefix: "lvsp_abc" } });
    expect(describeSubject(revoke)).toBe("lvsp_abc…");
    const create = entry({ entityId: "t1", after: { name: "ci", prefix: "lvsp_abc" } });
    expect(describeSubject(revoke, knownNames([revoke, create]))).toBe("ci");
  });

  it("summarises", () => {
    expect(summarizeChange(entry({ after: { a: 1 } }))).toBe("new");
    expect(summarizeChange(entry({ before: { a: 1 } }))).toBe("removed");
    expect(summarizeChange(entry({ before: { a: 1, b: 1 }, after: { a: 2, b: 2 } }))).toBe(
      "2 fields changed",
    );
    expect(prettyJson(undefined)).toBe("—");
  });

  it('gives an apply\'s outcome, never "new"', () => {
    const start = { action: "apply.start", entityType: "cluster", after: { applyId: "p1" } };
    const apply = { id: "p1", clusterId: "c1", status: "rolled_back" as const };
    expect(summarizeChange(entry({ ...start, apply }))).toBe("rolled back");
    expect(summarizeChange(entry({ ...start, apply: { ...apply, status: "running" } }))).toBe(
      "running",
    );
    expect(summarizeChange(entry(start))).toBe("outcome not recorded");
  });
});
