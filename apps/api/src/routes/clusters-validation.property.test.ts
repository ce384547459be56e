// The API accepts exactly the service and realserver inputs the domain validates, and names the
// same fields in the same words: one validator, whether the API or a web form asks. Bodies come
// from the domain's input generators (netmasks, prefixes, thresholds, flags, schedulers, valid
// and not) and go through the real routes and service into a real database.
import { messagesByField, validateRealServerInput, validateServiceInput } from "@lvs-panel/lvs";
import {
  patchOf,
  realServerFieldValues,
  realServerInput,
  serviceFieldValues,
  serviceInput,
} from "@lvs-panel/lvs/test/input-arbitraries";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app-fixture.ts";
import { mergeServicePatch, type ServiceInput } from "../services/clusters/service-patch.ts";

// Seeded so a failure replays; few runs so the file stays a few seconds long.
const runs = (numRuns: number) => ({ numRuns, seed: 20_240_611, endOnFailure: true });

let t: TestApp;
/** Services are created and deleted in this cluster, one at a time, so none collide. */
let serviceCluster = "";
/** The service realservers are created under, in a cluster of its own. */
let parentService = "";

function call(method: "POST" | "PATCH" | "DELETE", url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: t.cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** What the API said: accepted, or the fields a 400 named and its message. */
async function verdict(method: "POST" | "PATCH", url: string, body: unknown) {
  const res = await call(method, url, body);
  expect([200, 201, 400], `${method} ${url} ${JSON.stringify(body)}: ${res.body}`).toContain(
    res.statusCode,
  );
  const json = res.json();
  return res.statusCode === 400
    ? { accepted: false, fields: json.fields, message: json.message, id: null }
    : { accepted: true, fields: {}, message: null, id: json.id as string };
}

/** What the domain says, in the same shape. */
function expected(issues: ReturnType<typeof validateServiceInput>) {
  const fields = messagesByField(issues);
  const message = Object.entries(fields)
    .map(([field, reason]) => `${field}: ${reason}`)
    .join("; ");
  return issues.length === 0
    ? { accepted: true, fields: {}, message: null }
    : { accepted: false, fields, message };
}

const validService = serviceInput.filter((s) => validateServiceInput(s).length === 0);
const validRealServer = realServerInput.filter((r) => validateRealServerInput(r).length === 0);

beforeAll(async () => {
  t = await startTestApp();
  serviceCluster = (await call("POST", "/api/clusters", { name: "services" })).json().id;
  const parentCluster = (await call("POST", "/api/clusters", { name: "parent" })).json().id;
  parentService = (
    await call("POST", `/api/clusters/${parentCluster}/services`, {
      protocol: "tcp",
      vip: "10.0.0.100",
      port: 80,
      scheduler: "rr",
      forwarding: "nat",
    })
  ).json().id;
});
afterAll(async () => t?.close());

describe("the API and the domain validator agree", () => {
  it("on creating a service", async () => {
    await fc.assert(
      fc.asyncProperty(serviceInput, async (body) => {
        const got = await verdict("POST", `/api/clusters/${serviceCluster}/services`, body);
        if (got.id) await call("DELETE", `/api/services/${got.id}`);
        expect({ ...got, id: undefined }, JSON.stringify(body)).toEqual({
          ...expected(validateServiceInput(body)),
          id: undefined,
        });
      }),
      runs(80),
    );
  });

  it("on changing a service: the merged service is what the domain judges", async () => {
    const patch = patchOf(serviceFieldValues, ["persistence", "persistenceNetmask"]);
    await fc.assert(
      fc.asyncProperty(validService, patch, async (base, body) => {
        const created = await call("POST", `/api/clusters/${serviceCluster}/services`, base);
        expect(created.statusCode, created.body).toBe(201);
        const stored = created.json() as ServiceInput & { id: string };
        const got = await verdict("PATCH", `/api/services/${stored.id}`, body);
        await call("DELETE", `/api/services/${stored.id}`);
        const merged = mergeServicePatch(stored, body as Partial<ServiceInput>);
        expect({ ...got, id: undefined }, JSON.stringify({ base, body })).toEqual({
          ...expected(validateServiceInput(merged)),
          id: undefined,
        });
      }),
      runs(40),
    );
  });

  it("on adding a realserver", async () => {
    await fc.assert(
      fc.asyncProperty(realServerInput, async (body) => {
        const got = await verdict("POST", `/api/services/${parentService}/realservers`, body);
        if (got.id) await call("DELETE", `/api/realservers/${got.id}`);
        expect({ ...got, id: undefined }, JSON.stringify(body)).toEqual({
          ...expected(validateRealServerInput(body)),
          id: undefined,
        });
      }),
      runs(80),
    );
  });

  it("on changing a realserver: the stored fields under the patch are what the domain judges", async () => {
    const patch = patchOf(realServerFieldValues, []);
    await fc.assert(
      fc.asyncProperty(validRealServer, patch, async (base, body) => {
        const created = await call("POST", `/api/services/${parentService}/realservers`, base);
        expect(created.statusCode, created.body).toBe(201);
        const stored = created.json();
        const got = await verdict("PATCH", `/api/realservers/${stored.id}`, body);
        await call("DELETE", `/api/realservers/${stored.id}`);
        const merged = {
          address: stored.address,
          port: stored.port,
          weight: stored.weight,
          enabled: stored.enabled,
          upperThreshold: stored.upperThreshold,
          lowerThreshold: stored.lowerThreshold,
          ...body,
        };
        expect({ ...got, id: undefined }, JSON.stringify({ base, body })).toEqual({
          ...expected(validateRealServerInput(merged)),
          id: undefined,
        });
      }),
      runs(40),
    );
  });
});
