import { describe, expect, it } from "vitest";
import {
  checkServiceForm,
  FORWARDING_OPTIONS,
  PROTOCOL_OPTIONS,
  type ServiceFormValues,
} from "./serviceForm.ts";

const form: ServiceFormValues = {
  match: "port",
  protocol: "tcp",
  vip: "10.0.0.200",
  port: "80",
  fwmark: "",
  scheduler: "wlc",
  flags: [],
  persistence: "",
  netmask: "",
  forwarding: "nat",
};

const markForm: ServiceFormValues = { ...form, match: "fwmark", port: "", fwmark: "7" };

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
    ["SCTP", { protocol: "sctp" }, {}],
    ["TUN on an IPv4 VIP", { forwarding: "tun" }, {}],
    [
      "TUN on an IPv6 VIP",
      { forwarding: "tun", vip: "fd00::200" },
      {
        vip: "must be IPv4 for TUN forwarding: its IP-in-IP tunnel (ipip, tunl0) carries IPv4 only; use DR or NAT for IPv6",
      },
    ],
    ["a mark left behind when matching by port", { fwmark: "oops" }, {}],
  ];
  it.each(cases)("%s", (_name, change, errors) => {
    const checked = checkServiceForm({ ...form, ...change });
    expect(checked.ok ? {} : checked.errors).toEqual(errors);
  });

  const markCases: [string, Partial<ServiceFormValues>, Record<string, string>][] = [
    ["a mark", {}, {}],
    ["a port left behind", { port: "oops" }, {}],
    // On the mark's own field, not as "port must be from 1 to 65535" on the hidden port.
    ["an empty mark", { fwmark: " " }, { fwmark: "must be a whole number from 1 to 4294967295" }],
    ["mark 0", { fwmark: "0" }, { fwmark: "must be from 1 to 4294967295" }],
    ["a mark beyond 32 bits", { fwmark: "4294967296" }, { fwmark: "must be from 1 to 4294967295" }],
    [
      "a mark as text",
      { fwmark: "web" },
      { fwmark: "must be a whole number from 1 to 4294967295" },
    ],
    ["the largest mark", { fwmark: "4294967295" }, {}],
    ["a bad VIP", { vip: "nowhere" }, { vip: "must be an IPv4 or IPv6 address" }],
  ];
  it.each(markCases)("by firewall mark: %s", (_name, change, errors) => {
    const checked = checkServiceForm({ ...markForm, ...change });
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
        fwmark: null,
        scheduler: "mh",
        schedulerFlags: ["mh-port"],
        persistence: null,
        persistenceNetmask: null,
        forwarding: "nat",
      },
    });
  });

  it("sends a mark service as port 0 and its mark, stored as tcp whatever protocol was picked", () => {
    const checked = checkServiceForm({
      ...markForm,
      protocol: "sctp",
      port: "443",
      fwmark: " 7 ",
      forwarding: "tun",
    });
    expect(checked).toEqual({
      ok: true,
      input: {
        protocol: "tcp",
        vip: "10.0.0.200",
        port: 0,
        fwmark: 7,
        scheduler: "wlc",
        schedulerFlags: [],
        persistence: null,
        persistenceNetmask: null,
        forwarding: "tun",
      },
    });
  });
});

describe("the dialog's options", () => {
  it("offers every protocol and forwarding method the domain knows", () => {
    expect(PROTOCOL_OPTIONS).toEqual([
      { value: "tcp", label: "TCP" },
      { value: "udp", label: "UDP" },
      { value: "sctp", label: "SCTP" },
    ]);
    expect(FORWARDING_OPTIONS.map(({ value, label }) => [value, label])).toEqual([
      ["nat", "NAT (masquerading)"],
      ["dr", "DR (direct routing)"],
      ["tun", "TUN (IP-in-IP tunnel)"],
    ]);
  });
});
