import { describe, expect, it } from "vitest";
import { hostAddressProblem, hostAddressSchema } from "./fields.ts";

describe("hostAddressSchema", () => {
  it.each([
    "192.0.2.10",
    "10.0.0.1",
    "2001:db8::1",
    "::1",
    "localhost",
    "lb1",
    "lb1.example.net",
    "web-01.dc2.example.net",
    "1e100.net",
    "123.example.com",
    "xn--bcher-kva.example",
    `${"a".repeat(63)}.example`,
  ])("accepts %s", (value) => {
    expect(hostAddressProblem(value)).toBeNull();
    expect(hostAddressSchema.safeParse(value).success).toBe(true);
  });

  it.each([
    ["999.1.1.1", /not a valid IPv4 address/],
    ["256.0.0.1", /not a valid IPv4 address/],
    ["10.0.0", /not a valid IPv4 address/],
    ["10.0.0.1.", /not a valid IPv4 address/],
    ["12345", /not a valid IPv4 address/],
    ["host.123", /cannot end in a number/],
    ["-lb.example.net", /IP address or a DNS name/],
    ["lb-.example.net", /IP address or a DNS name/],
    ["lb..example.net", /IP address or a DNS name/],
    ["lb_1.example.net", /IP address or a DNS name/],
    ["lb1.example.net.", /IP address or a DNS name/],
    ["fe80::1%eth0", /IP address or a DNS name/],
    ["10.0.0.1/24", /IP address or a DNS name/],
    [`${"a".repeat(64)}.example`, /IP address or a DNS name/],
    ["host name", /IP address or a DNS name/],
  ])("refuses %s with a reason", (value, reason) => {
    expect(hostAddressProblem(value)).toMatch(reason);
    const parsed = hostAddressSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(reason);
  });

  it("trims surrounding spaces and refuses an empty value", () => {
    expect(hostAddressSchema.parse("  lb1.example.net ")).toBe("lb1.example.net");
    expect(hostAddressSchema.safeParse("").error?.issues[0]?.message).toBe("is required");
  });
});
