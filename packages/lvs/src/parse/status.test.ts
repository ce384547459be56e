import { describe, expect, it } from "vitest";
import { fixture } from "../../test/fixtures.ts";
import { parseIpvsadmTimeout } from "./timeout.ts";
import { parseIpvsadmVersion } from "./version.ts";

describe("--timeout and --version", () => {
  it("reads the fixtures", () => {
    expect(parseIpvsadmTimeout(fixture("mixed-timeout.txt"))).toEqual({
      tcp: 900,
      tcpFin: 120,
      udp: 300,
    });
    expect(parseIpvsadmVersion(fixture("mixed-version.txt"))).toEqual({
      ipvsadm: "1.31",
      date: "2019/12/24",
      ipvs: "1.2.1",
    });
  });
  it("reports other text as an error", () => {
    expect(parseIpvsadmTimeout("Timeout: soon")).toHaveProperty("error");
    expect(parseIpvsadmVersion(fixture("mixed-timeout.txt"))).toHaveProperty("error");
  });
});
