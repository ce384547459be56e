import { describe, expect, it } from "vitest";
import type { RealServer } from "../../api/types.ts";
import { forwardingHints } from "./forwardingHints.ts";

const rs = (address: string, hostId: string | null, port = 80) =>
  ({ address, port, hostId }) as RealServer;

describe("forwardingHints", () => {
  it("NAT with managed realservers says the panel routes replies, not that the gateway must change", () => {
    const hints = forwardingHints(
      {
        forwarding: "nat",
        vip: "192.168.77.100",
        port: 80,
        realservers: [rs("10.10.0.11", "h1"), rs("10.10.0.12", "h2")],
      },
      "10.10.0.1",
    );
    expect(hints).toHaveLength(1);
    expect(hints[0]).toContain("on the 2 managed realservers the panel routes");
    expect(hints[0]).toContain("through the DIP 10.10.0.1");
    expect(hints[0]).not.toMatch(/must use the DIP as their default gateway/);
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
      expect.stringContaining("on the managed realserver the panel routes"),
      expect.stringContaining("on the unmanaged realserver (no managed host), set up by hand"),
    ]);
  });

  it("DR names the VIP on lo and the ARP settings the panel sets", () => {
    const [hint] = forwardingHints(
      { forwarding: "dr", vip: "10.10.0.200", port: 80, realservers: [rs("10.10.0.11", "h1")] },
      null,
    );
    expect(hint).toContain("puts 10.10.0.200 on lo and sets arp_ignore=1 and arp_announce=2");
  });
});
