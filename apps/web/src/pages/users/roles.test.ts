import { describe, expect, it } from "vitest";
import { passwordError, roleLabel, usernameError } from "./roles.ts";

describe("user form checks", () => {
  it("accepts the usernames the API accepts", () => {
    expect(usernameError("ops.alice-2")).toBeUndefined();
    expect(usernameError("")).toBe("is required");
    expect(usernameError("Alice")).toMatch(/lowercase/);
    expect(usernameError("a")).toMatch(/2-32/);
    expect(usernameError("1abc")).toMatch(/starting with a letter/);
  });

  it("needs 8 characters, and nothing when the password is optional", () => {
    expect(passwordError("short", true)).toBe("must be at least 8 characters");
    expect(passwordError("", true)).toBe("is required");
    expect(passwordError("", false)).toBeUndefined();
    expect(passwordError("long-enough", true)).toBeUndefined();
  });

  it("names roles", () => {
    expect(roleLabel("operator")).toBe("Operator");
    expect(roleLabel("other")).toBe("other");
  });
});
