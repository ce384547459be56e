import { describe, expect, it } from "vitest";
import type { Cluster } from "../../api/types.ts";
import { describeIssueField } from "./issuePlace.ts";

const cluster = {
  services: [
    {
      protocol: "tcp",
      vip: "10.10.0.200",
      port: 80,
      fwmark: null,
      realservers: [
        { address: "10.10.0.11", port: 80 },
        { address: "fd00::12", port: 8080 },
      ],
    },
    { protocol: "tcp", vip: "0.0.0.0", port: 0, fwmark: 7, realservers: [] },
  ],
} as unknown as Cluster;

describe("describeIssueField", () => {
  it.each([
    ["services[0].realservers", "Service TCP 10.10.0.200:80 › realservers"],
    [
      "services[0].realservers[1].port",
      "Service TCP 10.10.0.200:80 › realserver [fd00::12]:8080 › port",
    ],
    [
      "services[0].realservers[0].hostId",
      "Service TCP 10.10.0.200:80 › realserver 10.10.0.11:80 › SSH host",
    ],
    ["services[0].vip", "Service TCP 10.10.0.200:80 › VIP"],
    ["services[1].healthCheck.timeoutSeconds", "Service FWM 7 › health check › timeout seconds"],
    ["services[0].schedulerFlags[1]", "Service TCP 10.10.0.200:80 › scheduler flags"],
    ["director.vipInterface", "Director › VIP interface"],
    ["ha.floatingGateway", "Failover › floating gateway"],
    ["directors[1].dip", "Second director › DIP"],
    ["realservers", "Realservers"],
  ])("%s → %s", (field, place) => {
    expect(describeIssueField(field, cluster)).toBe(place);
  });

  it("names services and realservers by position before the cluster is loaded", () => {
    expect(describeIssueField("services[2].realservers[0].weight")).toBe(
      "Service 3 › realserver 1 › weight",
    );
  });

  it("has nothing to say without a field", () => {
    expect(describeIssueField("")).toBeNull();
  });
});
