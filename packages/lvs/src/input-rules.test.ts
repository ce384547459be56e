import { describe, expect, it } from "vitest";
import {
  messagesByField,
  type ServiceInputDraft,
  validateRealServerInput,
  validateServiceInput,
} from "./input-rules.ts";

const service: ServiceInputDraft = {
  protocol: "tcp",
  vip: "10.0.0.200",
  port: 80,
  scheduler: "rr",
  forwarding: "nat",
};

function fields(issues: ReturnType<typeof validateServiceInput>) {
  return messagesByField(issues);
}

describe("validateServiceInput", () => {
  const cases: [string, ServiceInputDraft, Record<string, string>][] = [
    ["a plain service", service, {}],
    ["a padded VIP, as a form sends it", { ...service, vip: " 10.0.0.1 " }, {}],
    [
      "an IPv6 prefix length as the netmask of an IPv6 service",
      { ...service, vip: "fd00::200", persistence: 60, persistenceNetmask: "64" },
      {},
    ],
    [
      "a prefix length on an IPv4 service",
      { ...service, persistence: 60, persistenceNetmask: "64" },
      { persistenceNetmask: "must be a netmask like 255.255.255.0" },
    ],
    [
      "an address that is not a contiguous mask",
      { ...service, persistence: 60, persistenceNetmask: "10.0.0.1" },
      { persistenceNetmask: "must be a netmask like 255.255.255.0" },
    ],
    [
      "a dotted mask on an IPv6 service",
      { ...service, vip: "fd00::200", persistence: 60, persistenceNetmask: "255.255.255.0" },
      { persistenceNetmask: "must be a prefix length from 1 to 128" },
    ],
    [
      "a netmask without persistence",
      { ...service, persistenceNetmask: "255.255.255.0" },
      { persistenceNetmask: "only applies with persistence" },
    ],
    [
      "flags of another scheduler",
      { ...service, scheduler: "sh", schedulerFlags: ["mh-port"] },
      { schedulerFlags: "scheduler sh accepts only sh-fallback, sh-port" },
    ],
    [
      "flags on a scheduler without any",
      { ...service, schedulerFlags: ["sh-port"] },
      { schedulerFlags: "scheduler rr takes no flags" },
    ],
    [
      "a bad port, in the field schema's words",
      { ...service, port: 0 },
      { port: "must be from 1 to 65535" },
    ],
    ["a missing VIP", { ...service, vip: undefined }, { vip: "is required" }],
    ["TUN and SCTP on IPv4", { ...service, protocol: "sctp", forwarding: "tun" }, {}],
    [
      "TUN on an IPv6 VIP",
      { ...service, vip: "fd00::200", forwarding: "tun" },
      {
        vip: "must be IPv4 for TUN forwarding: its IP-in-IP tunnel (ipip, tunl0) carries IPv4 only; use DR or NAT for IPv6",
      },
    ],
    [
      "a method the model does not know",
      { ...service, forwarding: "local" },
      { forwarding: "must be nat, dr or tun" },
    ],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(fields(validateServiceInput(input))).toEqual(expected);
  });

  it("checks the rules between fields only once every field is valid on its own", () => {
    const input = { ...service, port: 0, persistenceNetmask: "255.255.255.0" };
    expect(validateServiceInput(input).map((i) => i.field)).toEqual(["port"]);
  });

  it("gives each issue the code validateCluster gives the same problem", () => {
    const input = { ...service, persistence: 60, persistenceNetmask: "10.0.0.1", port: 80 };
    expect(validateServiceInput(input)).toEqual([
      {
        code: "INVALID_NETMASK",
        field: "persistenceNetmask",
        message: "must be a netmask like 255.255.255.0",
      },
    ]);
  });
});

describe("validateRealServerInput", () => {
  const rs = { address: "10.0.0.11", port: 80 };
  const cases: [string, Record<string, unknown>, Record<string, string>][] = [
    ["a realserver with the defaults", rs, {}],
    // ipvsadm parses -x/-y up to INT_MAX; the old API cap of 65535 refused real limits.
    ["a threshold above 65535", { ...rs, upperThreshold: 100_000 }, {}],
    ["the largest threshold ipvsadm takes", { ...rs, upperThreshold: 2_147_483_647 }, {}],
    [
      "a threshold ipvsadm refuses",
      { ...rs, upperThreshold: 2_147_483_648 },
      { upperThreshold: "must be from 0 to 2147483647" },
    ],
    [
      "a lower threshold above the upper one",
      { ...rs, upperThreshold: 10, lowerThreshold: 20 },
      { lowerThreshold: "must not exceed the upper threshold" },
    ],
    [
      "a lower threshold with no upper limit (the kernel says ERANGE)",
      { ...rs, lowerThreshold: 20 },
      {
        lowerThreshold:
          "must be 0 without an upper threshold (the kernel refuses a lower one above the upper)",
      },
    ],
    ["a weight past 65535", { ...rs, weight: 65_536 }, { weight: "must be from 0 to 65535" }],
    ["enabled as text", { ...rs, enabled: "yes" }, { enabled: "must be true or false" }],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(messagesByField(validateRealServerInput(input))).toEqual(expected);
  });
});
