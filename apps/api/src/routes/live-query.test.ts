// The live stream's query as the API reads it: the client filter takes a prefix or one client's
// ip:port ([v6]:port), and anything else is a 400 that says what it takes, before a stream opens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const live = (client: string) =>
  t.app.inject({
    method: "GET",
    url: `/api/clusters/no-such-cluster/live?${new URLSearchParams({ client, limit: "5" })}`,
    headers: { cookie: t.cookie },
  });

describe("GET /api/clusters/:id/live?client=", () => {
  it("takes a prefix, ip:port and [v6]:port (this cluster then does not exist: 404)", async () => {
    for (const client of ["192.168.77.", "fd00:", "192.168.77.5:43512", "[fd00::5]:443", " 10. "]) {
      const res = await live(client);
      expect(res.statusCode, `${client}: ${res.body}`).toBe(404);
    }
  });

  it("refuses anything else with the forms it takes", async () => {
    const res = await live("example.com");
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual({
      client:
        "must be the start of an address (192.168.77.) or one client as address:port (192.168.77.5:43512, [fd00::5]:43512)",
    });
    const port = await live("10.0.0.1:99999");
    expect(port.statusCode).toBe(400);
    expect(port.json().fields.client).toMatch(/port from 0 to 65535/);
  });
});
