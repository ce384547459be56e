import { describe, expect, it } from "vitest";
import type { RealServer } from "../../api/types.ts";
import { forwardingHints } from "./forwardingHints.ts";

const rs = (address: string, hostId: string | null, port = 80) =>
  ({ address, port, hostId }) as RealServer;

describe("forwardingHints", () => {
  it("NAT names each managed realserver and the policy route the panel adds on it", () => {
    const hints = forwardingHints(
      {
        forwarding: "nat",
        vip: "192.168.77.100",
        port: 80,
        realservers: [rs("10.10.0.11", "h1"), rs("10.10.0.12", "h2")],
      },
      "10.10.0.1",
    );
    expect(hints).toEqual([
      "NAT: on 10.10.0.11 and 10.10.0.12 the panel adds a policy route: replies from port 80 go back through the DIP 10.10.0.1; the default gateway and all other traffic (SSH included) are left alone.",
    ]);
    expect(hints[0]).not.toMatch(/must use the DIP as their default gateway/);
  });

  it("NAT with a director pair points the route at the floating gateway", () => {
    const [hint] = forwardingHints(
      { forwarding: "nat", vip: "192.168.77.100", port: 80, realservers: [rs("10.10.0.11", "h1")] },
      "10.10.0.1",
      "10.10.0.254",
    );
    expect(hint).toBe(
      "NAT: on 10.10.0.11 the panel adds a policy route: replies from port 80 go back through the floating gateway 10.10.0.254 (it moves with the VIPs to the active director); the default gateway and all other traffic (SSH included) are left alone.",
    );
  });

  it("NAT groups realservers by the port their replies come from, and shortens long lists", () => {
    const many = Array.from({ length: 7 }, (_, i) => rs(`10.10.0.${11 + i}`, `h${i}`));
    const hints = forwardingHints(
      {
        forwarding: "nat",
        vip: "192.168.77.100",
        port: 80,
        realservers: [...many, rs("10.10.0.30", "h9", 8080)],
      },
      "10.10.0.1",
    );
    expect(hints).toEqual([
      expect.stringMatching(
        /^NAT: on 10\.10\.0\.11, 10\.10\.0\.12, 10\.10\.0\.13, 10\.10\.0\.14 and 3 more the panel adds a policy route: replies from port 80 /,
      ),
      expect.stringMatching(
        /^NAT: on 10\.10\.0\.30 the panel adds a policy route: replies from port 8080 /,
      ),
    ]);
  });

  it("keeps the by-hand hint only for realservers without a managed host", () => {
    const hints = forwardingHints(
      {
        forwarding: "nat",
        vip: "192.168.77.100",
        port: 80,
        realservers: [rs("10.10.0.11", "h1"), rs("10.10.0.13", null)],
      },
      "10.10.0.1",
    );
    expect(hints).toEqual([
      expect.stringContaining("on 10.10.0.11 the panel adds a policy route"),
      "NAT: 10.10.0.13 has no managed host: set up by hand that replies go back through the DIP 10.10.0.1, for example as the default gateway.",
    ]);
  });

  it("NAT on a DIP of the other family: no reply route from the panel, the gateway by hand", () => {
    const hints = forwardingHints(
      {
        forwarding: "nat",
        vip: "192.168.77.100",
        port: 80,
        realservers: [rs("10.10.0.11", "h1"), rs("fd00::11", "h2"), rs("fd00::12", "h3")],
      },
      "10.10.0.1",
    );
    expect(hints).toEqual([
      expect.stringContaining("on 10.10.0.11 the panel adds a policy route"),
      "NAT: on fd00::11 and fd00::12 the panel adds no reply route, as the DIP 10.10.0.1 is IPv4: set up by hand that replies go back through the director's IPv6 address, for example as the default gateway.",
    ]);
  });

  it("NAT on an IPv6 DIP says the same of the IPv4 realservers", () => {
    const hints = forwardingHints(
      { forwarding: "nat", vip: "fd00::100", port: 80, realservers: [rs("10.10.0.11", "h1")] },
      "fd00::1",
    );
    expect(hints).toEqual([
      expect.stringMatching(
        /^NAT: on 10\.10\.0\.11 the panel adds no reply route, as the DIP fd00::1 is IPv6: .*default gateway/,
      ),
    ]);
    expect(hints[0]).not.toMatch(/policy route/);
  });

  it("NAT on a mark service: port 0 gets no reply route, a realserver with a port does", () => {
    const hints = forwardingHints(
      {
        forwarding: "nat",
        vip: "0.0.0.0",
        port: 0,
        fwmark: 7,
        realservers: [rs("10.10.0.11", "h1", 0), rs("10.10.0.12", "h2", 8080)],
      },
      "10.10.0.1",
    );
    expect(hints).toEqual([
      expect.stringContaining(
        "on 10.10.0.12 the panel adds a policy route: replies from port 8080",
      ),
      expect.stringMatching(
        /^NAT: on 10\.10\.0\.11 \(port 0\) the panel adds no reply route .*: set up by hand that replies go back through the DIP 10\.10\.0\.1, for example as the default gateway, or give it a port\.$/,
      ),
    ]);
    expect(hints.join(" ")).not.toMatch(/from port 0/);
  });

  it("DR on a mark service with no VIP says to put the marked addresses on lo by hand", () => {
    const hints = forwardingHints(
      {
        forwarding: "dr",
        vip: "0.0.0.0",
        port: 0,
        fwmark: 7,
        realservers: [rs("10.10.0.11", "h1", 0)],
      },
      "10.10.0.1",
    );
    expect(hints).toEqual([expect.stringMatching(/^DR: FWM 7 names no VIP, .* by hand\.$/)]);
    expect(hints.join(" ")).not.toMatch(/0\.0\.0\.0/);
  });

  it("port 0 is only special on a mark service", () => {
    const hints = forwardingHints(
      { forwarding: "nat", vip: "10.10.0.200", port: 80, realservers: [rs("10.10.0.11", "h1", 0)] },
      "10.10.0.1",
    );
    expect(hints).toEqual([expect.stringContaining("the panel adds a policy route")]);
  });

  it("DR names the VIP on lo and the ARP settings the panel sets", () => {
    const [hint] = forwardingHints(
      { forwarding: "dr", vip: "10.10.0.200", port: 80, realservers: [rs("10.10.0.11", "h1")] },
      null,
    );
    expect(hint).toContain("puts 10.10.0.200 on lo and sets arp_ignore=1 and arp_announce=2");
  });

  describe("TUN", () => {
    const tun = (realservers: RealServer[], more: { vip?: string; fwmark?: number } = {}) =>
      forwardingHints(
        { forwarding: "tun", vip: "10.10.0.200", port: 80, realservers, ...more },
        "10.10.0.1",
      );

    it("says what the panel does on the managed realservers: tunl0, rp_filter, ARP", () => {
      const hints = tun([rs("10.10.0.11", "h1"), rs("10.10.0.12", "h2")]);
      expect(hints).toEqual([
        "TUN: on the 2 managed realservers the panel puts the VIP 10.10.0.200 on tunl0 (ipip), turns rp_filter off and sets the ARP restrictions (arp_ignore=1, arp_announce=2), so they take 10.10.0.200:80 out of the tunnel and answer clients directly.",
      ]);
      expect(hints.join(" ")).not.toMatch(/DR:| on lo/);
    });

    it("tells what to do by hand on the unmanaged ones", () => {
      const hints = tun([rs("10.10.0.11", "h1"), rs("10.10.0.13", null)]);
      expect(hints).toEqual([
        expect.stringMatching(/^TUN: on the managed realserver the panel puts the VIP/),
        "TUN: on the unmanaged realserver (no managed host), by hand: load ipip (modprobe ipip), bring tunl0 up with 10.10.0.200/32 on it, set rp_filter=0 for all and tunl0, and set arp_ignore=1 and arp_announce=2; ports must match.",
      ]);
    });

    it("with no realservers yet, says what the panel will do", () => {
      expect(tun([])).toEqual([
        "TUN: on each managed realserver the panel puts the VIP on tunl0 (ipip), turns rp_filter off and sets the ARP restrictions; ports must match.",
      ]);
    });

    it("a mark service: the VIP the mark covers goes on tunl0, and no port has to match", () => {
      const hints = tun([rs("10.10.0.11", "h1", 0), rs("10.10.0.13", null, 0)], { fwmark: 7 });
      expect(hints).toEqual([
        expect.stringContaining(
          "puts the VIP 10.10.0.200 on tunl0 (ipip), turns rp_filter off and sets the ARP restrictions (arp_ignore=1, arp_announce=2), so they take the packets marked 7 for 10.10.0.200 out",
        ),
        expect.stringMatching(/^TUN: on the unmanaged realserver .*arp_announce=2\.$/),
      ]);
      expect(hints.join(" ")).not.toMatch(/:0\b|ports must match/);
    });

    it("a mark service with no VIP: the marked addresses go on tunl0 by hand", () => {
      const hints = tun([rs("10.10.0.11", "h1", 0), rs("10.10.0.13", null, 0)], {
        vip: "0.0.0.0",
        fwmark: 7,
      });
      expect(hints).toEqual([
        expect.stringMatching(/^TUN: FWM 7 names no VIP, so the panel puts no address on tunl0: /),
        "TUN: on the managed realserver the panel turns rp_filter off and sets the ARP restrictions (arp_ignore=1, arp_announce=2).",
        expect.stringMatching(/^TUN: on the unmanaged realserver .* by hand\.$/),
      ]);
      expect(hints.join(" ")).not.toMatch(/0\.0\.0\.0/);
    });
  });

  it("DR on a mark service names the marked packets, not port 0", () => {
    const [hint] = forwardingHints(
      {
        forwarding: "dr",
        vip: "10.10.0.200",
        port: 0,
        fwmark: 7,
        realservers: [rs("10.10.0.11", "h1", 0)],
      },
      null,
    );
    expect(hint).toContain("accept the packets marked 7 for 10.10.0.200");
    expect(hint).not.toMatch(/:0\b/);
  });
});
