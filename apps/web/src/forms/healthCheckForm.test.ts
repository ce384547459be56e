import { describe, expect, it } from "vitest";
import {
  detectionLine,
  formatSeconds,
  type HealthCheckFormValues,
  healthCheckFormInput,
  healthCheckFormValues,
} from "./healthCheckForm.ts";
import { checkServiceForm, type ServiceFormValues } from "./serviceForm.ts";

const tcp = healthCheckFormValues();

const service: ServiceFormValues = {
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
  health: tcp,
};

describe("healthCheckFormValues", () => {
  it("starts a new service from the defaults: a TCP check every 5 s, 3 s timeout, 2 retries", () => {
    expect(tcp).toEqual({
      type: "tcp",
      path: "",
      expectStatus: "",
      host: "",
      port: "",
      intervalSeconds: "5",
      timeoutSeconds: "3",
      retries: "2",
      onFailure: "quiesce",
      sorryAddress: "",
      sorryPort: "",
    });
  });

  it("fills in a service's own settings", () => {
    expect(
      healthCheckFormValues({
        healthCheck: {
          type: "http",
          path: "/healthz",
          expectStatus: 204,
          host: "www.example.com",
          port: 8080,
          intervalSeconds: 10,
          timeoutSeconds: 4,
          retries: 1,
        },
        onFailure: "remove",
        sorryServer: { address: "10.0.0.250", port: 80 },
      }),
    ).toEqual({
      type: "http",
      path: "/healthz",
      expectStatus: "204",
      host: "www.example.com",
      port: "8080",
      intervalSeconds: "10",
      timeoutSeconds: "4",
      retries: "1",
      onFailure: "remove",
      sorryAddress: "10.0.0.250",
      sorryPort: "80",
    });
  });
});

describe("healthCheckFormInput", () => {
  it("sends the whole check, without the HTTP fields of a TCP check", () => {
    expect(healthCheckFormInput({ ...tcp, path: "/left-behind", host: "x.example" })).toEqual({
      healthCheck: { type: "tcp", intervalSeconds: 5, timeoutSeconds: 3, retries: 2 },
      onFailure: "quiesce",
      sorryServer: null,
    });
  });

  it("sends an HTTP check's path, status, host and port, leaving empty ones out", () => {
    const values: HealthCheckFormValues = {
      ...tcp,
      type: "https",
      path: " /health ",
      expectStatus: "200",
      port: "8443",
      sorryAddress: "10.0.0.250",
      sorryPort: "8080",
      onFailure: "remove",
    };
    expect(healthCheckFormInput(values)).toEqual({
      healthCheck: {
        type: "https",
        path: "/health",
        expectStatus: 200,
        port: 8443,
        intervalSeconds: 5,
        timeoutSeconds: 3,
        retries: 2,
      },
      onFailure: "remove",
      sorryServer: { address: "10.0.0.250", port: 8080 },
    });
  });

  it("without a check sends only the check: its hidden fields cannot be refused", () => {
    expect(
      healthCheckFormInput({ ...tcp, type: "none", intervalSeconds: "", sorryAddress: "bad" }),
    ).toEqual({
      healthCheck: { type: "none", intervalSeconds: 5, timeoutSeconds: 3, retries: 2 },
    });
  });
});

describe("the service form refuses bad settings next to their fields, in the API's words", () => {
  const cases: [string, Partial<HealthCheckFormValues>, Record<string, string>][] = [
    ["the defaults", {}, {}],
    [
      "a timeout longer than the interval",
      { intervalSeconds: "2", timeoutSeconds: "3" },
      {
        "healthCheck.timeoutSeconds":
          "must not exceed the interval (2 s): a check would still be waiting when the next one is due",
      },
    ],
    [
      "an emptied interval",
      { intervalSeconds: "" },
      { "healthCheck.intervalSeconds": "must be a whole number of seconds from 1 to 3600" },
    ],
    [
      "a path with a space",
      { type: "http", path: "/a b" },
      {
        "healthCheck.path":
          "must start with / and use only letters, digits and . _ ~ % / ? = & + : , - (no spaces, #, ! or $)",
      },
    ],
    [
      "a sorry server without a port",
      { sorryAddress: "10.0.0.250" },
      { "sorryServer.port": "must be a whole number from 1 to 65535" },
    ],
    [
      "an IPv6 sorry server for an IPv4 VIP",
      { sorryAddress: "fd00::250", sorryPort: "80" },
      { "sorryServer.address": "must be of the same address family as the VIP" },
    ],
  ];
  it.each(cases)("%s", (_name, change, errors) => {
    const checked = checkServiceForm({ ...service, health: { ...tcp, ...change } });
    expect(checked.ok ? {} : checked.errors).toEqual(errors);
  });

  it("leaves the settings out when the dialog does not offer them (ipvsadm engine)", () => {
    const checked = checkServiceForm({ ...service, health: undefined });
    expect(checked.ok && Object.keys(checked.input)).toEqual([
      "protocol",
      "vip",
      "port",
      "fwmark",
      "scheduler",
      "schedulerFlags",
      "persistence",
      "persistenceNetmask",
      "forwarding",
    ]);
  });
});

describe("detectionLine", () => {
  it("says how soon a dead realserver stops getting connections: (interval + timeout) × (retries + 1)", () => {
    expect(detectionLine(tcp)).toBe("A dead realserver stops getting new connections within 24 s.");
    expect(detectionLine({ ...tcp, intervalSeconds: "57", retries: "4" })).toBe(
      "A dead realserver stops getting new connections within 300 s (5 min).",
    );
  });

  it("says nothing about a timing that is not valid yet, and warns without a check", () => {
    expect(detectionLine({ ...tcp, intervalSeconds: "" })).toBeNull();
    expect(detectionLine({ ...tcp, retries: "x" })).toBeNull();
    expect(detectionLine({ ...tcp, type: "none" })).toBe(
      "No health check: a dead realserver keeps getting new connections.",
    );
  });

  it("writes seconds, with minutes or hours beside long ones", () => {
    expect(formatSeconds(15)).toBe("15 s");
    expect(formatSeconds(300)).toBe("300 s (5 min)");
    expect(formatSeconds(39_600)).toBe("39600 s (11 h)");
  });
});
