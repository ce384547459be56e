import { describe, expect, it } from "vitest";
import { liveServiceKey } from "./live-service-key.ts";

describe("liveServiceKey", () => {
  it("writes the protocol upper-case and the VIP:port as ipvsadm does, IPv6 in brackets", () => {
    expect(liveServiceKey({ protocol: "tcp", vip: "192.168.77.100", port: 80 })).toBe(
      "TCP 192.168.77.100:80",
    );
    expect(liveServiceKey({ protocol: "udp", vip: "fd00::200", port: 53 })).toBe(
      "UDP [fd00::200]:53",
    );
    expect(liveServiceKey({ protocol: "TCP", vip: "::1", port: 80 })).toBe("TCP [::1]:80");
  });

  it("names a firewall-mark service by its mark alone", () => {
    expect(liveServiceKey({ protocol: "fwm", vip: "", port: 0, fwmark: 7 })).toBe("FWM 7");
    expect(liveServiceKey({ protocol: "tcp", vip: "10.0.0.1", port: 80, fwmark: null })).toBe(
      "TCP 10.0.0.1:80",
    );
  });
});
