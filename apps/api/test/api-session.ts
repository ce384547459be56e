// What the API tests do over and over, as the signed-in admin of a test app: call a route, add a
// sandbox host and pin its key (checking the fingerprint the scan reports), wait for an apply.
import { expect } from "vitest";
import type { TestApp } from "./app-fixture.ts";
import type { SandboxHost } from "./sandbox-host.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export function apiSession(t: () => TestApp) {
  const req = (method: Method, url: string, payload?: unknown) =>
    t().app.inject({
      method,
      url,
      headers: { cookie: t().cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  /** The JSON body of a 2xx answer; anything else fails the test with the body. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read known JSON shapes
  const ok = async (method: Method, url: string, payload?: unknown): Promise<any> => {
    const res = await req(method, url, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };

  const addTrustedHost = async (h: SandboxHost, privateKey: string): Promise<string> => {
    const { id } = await ok("POST", "/api/hosts", {
      name: h.name,
      address: h.address,
      auth: { type: "key", privateKey },
    });
    const scan = await ok("POST", `/api/hosts/${id}/scan`);
    expect(scan.fingerprint).toBe(h.fingerprint);
    await ok("POST", `/api/hosts/${id}/trust`, { fingerprint: scan.fingerprint });
    return id as string;
  };

  // biome-ignore lint/suspicious/noExplicitAny: tests read known JSON shapes
  const waitForApply = async (applyId: string): Promise<any> => {
    for (let i = 0; i < 1200; i++) {
      const apply = await ok("GET", `/api/applies/${applyId}`);
      if (apply.status !== "running") return apply;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("apply did not finish");
  };

  /** Starts an apply of the cluster (202 expected) and waits for its outcome. */
  const applyAndWait = async (clusterId: string, body: Record<string, unknown> = {}) => {
    const started = await req("POST", `/api/clusters/${clusterId}/apply`, body);
    expect(started.statusCode, started.body).toBe(202);
    return waitForApply(started.json().applyId);
  };

  return { req, ok, addTrustedHost, waitForApply, applyAndWait };
}
