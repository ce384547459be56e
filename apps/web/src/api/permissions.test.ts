import { describe, expect, it } from "vitest";
import { permissionsFor } from "./permissions.ts";

describe("permissionsFor", () => {
  it.each([
    ["admin", { edit: true, manageUsers: true }],
    ["operator", { edit: true, manageUsers: false }],
    ["viewer", { edit: false, manageUsers: false }],
    ["superuser", { edit: false, manageUsers: false }],
    [null, { edit: false, manageUsers: false }],
  ])("%s", (role, expected) => {
    expect(permissionsFor(role)).toEqual(expected);
  });
});
