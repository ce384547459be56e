import { describe, expect, it } from "vitest";
import { checkRealServerForm, type RealServerFormValues } from "./realServerForm.ts";

const form: RealServerFormValues = {
  address: "10.0.0.11",
  port: "80",
  weight: "1",
  enabled: true,
  upperThreshold: "0",
  lowerThreshold: "0",
  hostId: "",
};

describe("checkRealServerForm runs the domain's rules, in the API's words", () => {
  const cases: [string, Partial<RealServerFormValues>, Record<string, string>][] = [
    ["a threshold above 65535, which ipvsadm takes", { upperThreshold: "100000" }, {}],
    [
      "a threshold past ipvsadm's INT_MAX",
      { upperThreshold: "2147483648" },
      { upperThreshold: "must be from 0 to 2147483647" },
    ],
    [
      "a lower threshold above the upper one",
      { upperThreshold: "10", lowerThreshold: "20" },
      { lowerThreshold: "must not exceed the upper threshold" },
    ],
    ["an emptied weight", { weight: "" }, { weight: "must be a whole number from 0 to 65535" }],
    [
      "an emptied threshold",
      { lowerThreshold: " " },
      { lowerThreshold: "must be a whole number from 0 to 2147483647" },
    ],
    ["an emptied address", { address: "" }, { address: "must be an IPv4 or IPv6 address" }],
  ];
  it.each(cases)("%s", (_name, change, errors) => {
    const checked = checkRealServerForm({ ...form, ...change });
    expect(checked.ok ? {} : checked.errors).toEqual(errors);
  });

  it("sends every field, the managed host as null when none is chosen", () => {
    expect(checkRealServerForm({ ...form, address: " 10.0.0.11 ", weight: "5" })).toEqual({
      ok: true,
      input: {
        address: "10.0.0.11",
        port: 80,
        weight: 5,
        enabled: true,
        upperThreshold: 0,
        lowerThreshold: 0,
        hostId: null,
      },
    });
  });
});

describe("the check port (keepalived engine)", () => {
  it("is sent as a number, or null for the realserver's own port", () => {
    const sent = (checkPort: string) => {
      const checked = checkRealServerForm({ ...form, checkPort });
      return checked.ok ? checked.input.checkPort : checked.errors;
    };
    expect(sent("8080")).toBe(8080);
    expect(sent(" ")).toBeNull();
    expect(sent("70000")).toEqual({ checkPort: "must be from 1 to 65535" });
  });

  it("is left out where the dialog does not offer it, so the stored one stays", () => {
    const checked = checkRealServerForm(form);
    expect(checked.ok && "checkPort" in checked.input).toBe(false);
  });
});
