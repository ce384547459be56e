// The starting point of the fault tests: a director lb1 and realservers web1 and web2 (sandboxed
// sshd hosts on 10.10.0.0/24), a cluster "web" with one DR service over both, applied everywhere
// (the VIP on the realservers' lo, their ARP settings).
import { type ClientKeys, makeClientKeys } from "@lvs-panel/remote/test/sshd";
import { expect } from "vitest";
import { apiSession } from "./api-session.ts";
import { startTestApp, type TestApp, type TestAppTimeouts } from "./app-fixture.ts";
import { type SandboxHost, startSandboxHost } from "./sandbox-host.ts";

export interface AppliedDrCluster {
  t: TestApp;
  keys: ClientKeys;
  lb1: SandboxHost;
  web1: SandboxHost;
  web2: SandboxHost;
  clusterId: string;
  serviceId: string;
  /** Host ids and realserver ids, by sandbox name. */
  hostIds: { lb1: string; web1: string; web2: string };
  realserverIds: { web1: string; web2: string };
  stop(): Promise<void>;
}

export async function startAppliedDrCluster(
  vip: string,
  appOptions: TestAppTimeouts = {},
): Promise<AppliedDrCluster> {
  const keys = await makeClientKeys();
  const [lb1, web1, web2] = await Promise.all([
    startSandboxHost({ name: "lb1", authorizedKeys: keys.authorizedKeys, lan: "10.10.0.1/24" }),
    startSandboxHost({ name: "web1", authorizedKeys: keys.authorizedKeys, lan: "10.10.0.11/24" }),
    startSandboxHost({ name: "web2", authorizedKeys: keys.authorizedKeys, lan: "10.10.0.12/24" }),
  ]);
  const t = await startTestApp(appOptions);
  const { ok, addTrustedHost, waitForApply } = apiSession(() => t);
  const hostIds = {
    lb1: await addTrustedHost(lb1, keys.ed25519),
    web1: await addTrustedHost(web1, keys.ed25519),
    web2: await addTrustedHost(web2, keys.ed25519),
  };
  const clusterId: string = (await ok("POST", "/api/clusters", { name: "web" })).id;
  await ok("PUT", `/api/clusters/${clusterId}/director`, {
    hostId: hostIds.lb1,
    dip: "10.10.0.1",
    interface: "lan0",
  });
  const serviceId: string = (
    await ok("POST", `/api/clusters/${clusterId}/services`, {
      protocol: "tcp",
      vip,
      port: 80,
      scheduler: "rr",
      forwarding: "dr",
    })
  ).id;
  const addRealserver = async (address: string, hostId: string): Promise<string> =>
    (await ok("POST", `/api/services/${serviceId}/realservers`, { address, port: 80, hostId })).id;
  const realserverIds = {
    web1: await addRealserver("10.10.0.11", hostIds.web1),
    web2: await addRealserver("10.10.0.12", hostIds.web2),
  };
  const base = await waitForApply(
    (await ok("POST", `/api/clusters/${clusterId}/apply`, {})).applyId,
  );
  expect(base.status, JSON.stringify(base.events, null, 1)).toBe("succeeded");
  return {
    t,
    keys,
    lb1,
    web1,
    web2,
    clusterId,
    serviceId,
    hostIds,
    realserverIds,
    async stop() {
      await t.close();
      await Promise.all([lb1, web1, web2].map((h) => h.stop()));
    },
  };
}
