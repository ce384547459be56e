import { ipAddressSchema, portSchema } from "@lvs-panel/lvs";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client.ts";
import { collect, liveFieldErrors, parseNumber, splitError, validate } from "./formErrors.ts";

describe("splitError", () => {
  const fields = ["vip", "port", "auth.privateKey"];

  it("puts API field messages next to the fields the form has", () => {
    const error = new ApiError(400, "VALIDATION", "vip: must be an IPv4 or IPv6 address", {
      vip: "must be an IPv4 or IPv6 address",
    });
    expect(splitError(error, fields)).toEqual({
      fields: { vip: "must be an IPv4 or IPv6 address" },
      form: null,
    });
  });

  it("keeps nested dot paths as field keys", () => {
    const error = new ApiError(400, "VALIDATION", "auth.privateKey: malformed key", {
      "auth.privateKey": "malformed key",
    });
    expect(splitError(error, fields).fields).toEqual({ "auth.privateKey": "malformed key" });
  });

  it("shows the message at form level when no field matches", () => {
    const error = new ApiError(409, "CONFLICT", "host is used by cluster web", {
      hostId: "in use",
    });
    expect(splitError(error, fields)).toEqual({ fields: {}, form: "host is used by cluster web" });
  });

  it("lists unmatched fields at form level beside matched ones", () => {
    const error = new ApiError(400, "VALIDATION", "two problems", { port: "bad", other: "worse" });
    expect(splitError(error, fields)).toEqual({ fields: { port: "bad" }, form: "other: worse" });
  });

  it("shows any other error's message", () => {
    expect(splitError(new Error("boom"), fields)).toEqual({ fields: {}, form: "boom" });
  });
});

describe("client-side checks use the API's schemas", () => {
  it("gives the same words as the API", () => {
    expect(validate(ipAddressSchema, "10.10.0.999")).toBe("must be an IPv4 or IPv6 address");
    expect(validate(ipAddressSchema, "10.10.0.1")).toBeUndefined();
    expect(validate(portSchema, parseNumber(""))).toBe("must be a whole number from 1 to 65535");
    expect(validate(portSchema, parseNumber("70000"))).toBe("must be from 1 to 65535");
    expect(validate(portSchema, parseNumber("80"))).toBeUndefined();
  });

  it("collect drops the fields without a message", () => {
    expect(collect({ vip: "bad", port: undefined })).toEqual({ vip: "bad" });
  });
});

describe("liveFieldErrors", () => {
  const check = (values: Record<string, unknown>) => ({
    values,
    validate: () =>
      collect({
        vip: validate(ipAddressSchema, values.vip),
        port: validate(portSchema, parseNumber(String(values.port ?? ""))),
      }),
  });

  it("keeps an error while its field holds the value it was shown for", () => {
    const shown = { vip: "must be an IPv4 or IPv6 address" };
    expect(liveFieldErrors(shown, { vip: '"10.0.0.999"' }, check({ vip: "10.0.0.999" }))).toEqual(
      shown,
    );
  });

  it("drops it as soon as the edited field is valid, and updates it while it is not", () => {
    const shown = { vip: "must be an IPv4 or IPv6 address", port: "must be from 1 to 65535" };
    const at = { vip: '"10.0.0.999"', port: '"0"' };
    expect(liveFieldErrors(shown, at, check({ vip: "10.0.0.9", port: "0" }))).toEqual({
      port: "must be from 1 to 65535",
    });
    expect(liveFieldErrors(shown, at, check({ vip: "10.0.0.999", port: "" }))).toEqual({
      vip: "must be an IPv4 or IPv6 address",
      port: "must be a whole number from 1 to 65535",
    });
  });

  it("drops an API error once its field changes; keeps errors of fields it does not know", () => {
    const shown = { vip: "already in use", name: "already exists" };
    const at = { vip: '"10.0.0.1"', name: '"web"' };
    expect(liveFieldErrors(shown, at, check({ vip: "10.0.0.2" }))).toEqual({
      name: "already exists",
    });
    expect(liveFieldErrors(shown, at, undefined)).toBe(shown);
  });
});
