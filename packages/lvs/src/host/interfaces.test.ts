import { describe, expect, it } from "vitest";
import { parseInterfaces } from "./interfaces.ts";

// Debian bookworm's iproute2 (6.1), as `ip -o addr show` prints it.
const IPROUTE2 = `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host noprefixroute \\       valid_lft forever preferred_lft forever
2: eth0    inet 192.168.77.1/24 brd 192.168.77.255 scope global eth0\\       valid_lft forever preferred_lft forever
2: eth0    inet 192.168.77.100/32 scope global eth0\\       valid_lft forever preferred_lft forever
2: eth0    inet6 fe80::5054:ff:fe12:3456/64 scope link \\       valid_lft forever preferred_lft forever
3: eth1    inet 10.10.0.1/24 brd 10.10.0.255 scope global eth1\\       valid_lft forever preferred_lft forever
3: eth1    inet6 FD00:0:0::1/64 scope global \\       valid_lft forever preferred_lft forever
`;

// busybox 1.36 `ip -o addr show`: the same shape, "flags 02" where iproute2 names the flag.
const BUSYBOX = `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever
4: eth0    inet6 fd00::2/64 scope global flags 02 \\       valid_lft forever preferred_lft forever
`;

// Older iproute2 lists each link too, so an interface without addresses still shows.
const OLD_IPROUTE2 = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN \\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff
2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever preferred_lft forever
3: eth1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN qlen 1000\\    link/ether 52:54:00:65:43:21 brd ff:ff:ff:ff:ff:ff
4: veth7@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\\    link/ether 9a:1b:2c:3d:4e:5f brd ff:ff:ff:ff:ff:ff link-netnsid 0
4: veth7@if6    inet 10.9.0.1/30 scope global veth7\\       valid_lft forever preferred_lft forever
`;

describe("parseInterfaces", () => {
  it("groups iproute2's lines by interface, in the host's order, with prefix and family", () => {
    expect(parseInterfaces(IPROUTE2)).toEqual([
      {
        name: "lo",
        addresses: [
          { address: "127.0.0.1", prefix: 8, family: 4 },
          { address: "::1", prefix: 128, family: 6 },
        ],
      },
      {
        name: "eth0",
        addresses: [
          { address: "192.168.77.1", prefix: 24, family: 4 },
          { address: "192.168.77.100", prefix: 32, family: 4 },
          { address: "fe80::5054:ff:fe12:3456", prefix: 64, family: 6 },
        ],
      },
      {
        name: "eth1",
        addresses: [
          { address: "10.10.0.1", prefix: 24, family: 4 },
          // Canonical text, as every other address the panel stores.
          { address: "fd00::1", prefix: 64, family: 6 },
        ],
      },
    ]);
  });

  it("reads busybox's output", () => {
    expect(parseInterfaces(BUSYBOX)).toEqual([
      { name: "lo", addresses: [{ address: "127.0.0.1", prefix: 8, family: 4 }] },
      {
        name: "eth0",
        addresses: [
          { address: "192.0.2.2", prefix: 24, family: 4 },
          { address: "fd00::2", prefix: 64, family: 6 },
        ],
      },
    ]);
  });

  it("keeps an interface that has no address when a link line names it; drops the @peer", () => {
    const parsed = parseInterfaces(OLD_IPROUTE2);
    expect(parsed.map((i) => i.name)).toEqual(["lo", "eth0", "eth1", "veth7"]);
    expect(parsed.find((i) => i.name === "eth1")?.addresses).toEqual([]);
    expect(parsed.find((i) => i.name === "veth7")?.addresses).toEqual([
      { address: "10.9.0.1", prefix: 30, family: 4 },
    ]);
  });

  it("skips noise, bad addresses and a truncated last line instead of failing", () => {
    const text = [
      'Device "nope" does not exist.',
      "2: eth0    inet 999.1.1.1/24 scope global eth0",
      "2: eth0    inet 10.0.0.1/64 scope global eth0",
      "2: eth0    inet 10.0.0.2/24 scope global eth0",
      "3: eth1    ine",
      "",
    ].join("\n");
    expect(parseInterfaces(text)).toEqual([
      { name: "eth0", addresses: [{ address: "10.0.0.2", prefix: 24, family: 4 }] },
    ]);
    expect(parseInterfaces("")).toEqual([]);
  });
});
