import { describe, expect, it } from "vitest";
import { checkServiceForm, type ServiceFormValues } from "./serviceForm.ts";

const form: ServiceFormValues = {
  protocol: "tcp",
  vip: "10.0.0.200",
  port: "80",
  scheduler: "wlc",
  flags: [],
  persistence: "",
  netmask: "",
  forwarding: "nat",
};

describe("checkServiceForm runs the domain's rules, in the API's words", () => {
  const cases: [string, Partial<ServiceFormValues>, Record<string, string>][] = [
    ["an empty port", { port: "" }, { port: "must be a whole number from 1 to 65535" }],
    ["a bad VIP", { vip: "10.0.0.999" }, { vip: "must be an IPv4 or IPv6 address" }],
    ["an IPv6 prefix length", { vip: "fd00::200", persistence: "60", netmask: "64" }, {}],
    [
      "an address as an IPv4 netmask",
      { persistence: "60", netmask: "10.0.0.1" },
      { persistenceNetmask: "must be a netmask like 255.255.255.0" },
    ],
    [
      "a dotted netmask on an IPv6 VIP",
      { vip: "fd00::200", persistence: "60", netmask: "255.255.255.0" },
      { persistenceNetmask: "must be a prefix length from 1 to 128" },
    ],
    ["a netmask left behind when persistence is off", { netmask: "255.255.255.0" }, {}],
    [
      "persistence as text",
      { persistence: "soon" },
      { persistence: "must be a whole number of seconds" },
    ],
  ];
  it.each(cases)("%s", (_name, change, errors) => {
    const checked = checkServiceForm({ ...form, ...change });
    expect(checked.ok ? {} : checked.errors).toEqual(errors);
  });

  it("sends only the ticked flags the chosen scheduler takes, and no netmask without persistence", () => {
    const checked = checkServiceForm({
      ...form,
      vip: " 10.0.0.200 ",
      scheduler: "mh",
      flags: ["sh-port", "mh-port"],
      netmask: "255.255.255.0",
    });
    expect(checked).toEqual({
      ok: true,
      input: {
        protocol: "tcp",
        vip: "10.0.0.200",
        port: 80,
        scheduler: "mh",
        schedulerFlags: ["mh-port"],
        persistence: null,
        persistenceNetmask: null,
        forwarding: "nat",
      },
    });
  });
});
