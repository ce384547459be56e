// Registers the lab in a running panel through its REST API: hosts (director + realservers and the
// second director behind it as jump host), pinned host keys, and a NAT cluster (without the
// second director). Idempotent: objects are found by name (or VIP/port, address/port) before
// anything is created.
import type { LabInfo, Log } from "./lab.ts";
import { HTTP_PORT } from "./topology.ts";

export interface SeedOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly log: Log;
}

interface Host {
  id: string;
  name: string;
  hostKeySha256: string | null;
}
interface RealServer {
  id: string;
  address: string;
  port: number;
}
interface Service {
  id: string;
  protocol: string;
  vip: string;
  port: number;
  realservers: RealServer[];
}
interface Cluster {
  id: string;
  name: string;
  services: Service[];
}

export class PanelError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    body: string,
  ) {
    super(`${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
  }
}

export function seedOptionsFromEnv(log: Log): SeedOptions {
  const password = process.env.LVS_PANEL_PASSWORD;
  if (password === undefined || password === "") {
    throw new Error("LVS_PANEL_PASSWORD is required to seed the panel");
  }
  const url = process.env.LVS_PANEL_URL || "http://127.0.0.1:8080";
  if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) {
    throw new Error(`LVS_PANEL_URL must be http(s)://host[:port], got ${JSON.stringify(url)}`);
  }
  return {
    url: url.replace(/\/$/, ""),
    username: process.env.LVS_PANEL_USER || "admin",
    password,
    log,
  };
}

class PanelClient {
  private cookie = "";

  constructor(private readonly base: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.cookie !== "") headers.cookie = this.cookie;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new PanelError(response.status, method, path, text);
    // The session cookie is the only one the panel sets; keep its name=value part.
    const session = response.headers.getSetCookie().find((c) => c.startsWith("lvs_session="));
    if (session !== undefined) this.cookie = session.split(";")[0] ?? "";
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }
}

const id = encodeURIComponent;

export interface SeedResult {
  readonly directorHostId: string;
  /** The second director's host (lab-director2), in no cluster: pair tests attach it. */
  readonly director2HostId: string;
  readonly realserverHostIds: Readonly<Record<string, string>>;
  readonly clusterId: string;
  readonly serviceId: string;
  readonly notes: readonly string[];
}

export async function seedPanel(lab: LabInfo, options: SeedOptions): Promise<SeedResult> {
  const { log } = options;
  const panel = new PanelClient(options.url);
  const notes: string[] = [];
  await panel.request("POST", "/api/auth/login", {
    username: options.username,
    password: options.password,
  });
  log(`logged in to ${options.url} as ${options.username}`);

  const existingHosts = await panel.request<Host[]>("GET", "/api/hosts");
  const auth = { type: "key", privateKey: lab.privateKey };
  async function upsertHost(body: {
    name: string;
    address: string;
    port: number;
    jumpHostId: string | null;
  }): Promise<Host> {
    const full = { ...body, username: "root", auth };
    const found = existingHosts.find((host) => host.name === body.name);
    if (found === undefined) {
      log(`creating host ${body.name}`);
      return panel.request<Host>("POST", "/api/hosts", full);
    }
    // Refresh the key and address in case the lab cache (and so the key) was recreated.
    log(`host ${body.name} exists (${found.id}); updating it`);
    return panel.request<Host>("PATCH", `/api/hosts/${id(found.id)}`, full);
  }

  /** Pins the host key, but only if the host presents the key the lab generated for it. */
  async function trust(host: Host, expected: string): Promise<void> {
    if (host.hostKeySha256 === expected) return;
    try {
      const scan = await panel.request<{ fingerprint: string }>(
        "POST",
        `/api/hosts/${id(host.id)}/scan`,
      );
      if (scan.fingerprint !== expected) {
        throw new Error(
          `${host.name} presents ${scan.fingerprint}, but the lab's key is ${expected}; not trusting it`,
        );
      }
      await panel.request("POST", `/api/hosts/${id(host.id)}/trust`, { fingerprint: expected });
      log(`trusted ${host.name} ${expected}`);
    } catch (error) {
      if (error instanceof PanelError && error.status === 404) {
        const note = `host-key routes answered 404 for ${host.name}; trust ${expected} by hand`;
        notes.push(note);
        log(`note: ${note}`);
        return;
      }
      throw error;
    }
  }

  const director = await upsertHost({
    name: "lab-director",
    address: lab.sshHost,
    port: lab.sshPort,
    jumpHostId: null,
  });
  // The director first: the panel checks its pinned key on every tunnel to a realserver.
  await trust(director, lab.director.hostKeyFingerprint);
  const realserverHostIds: Record<string, string> = {};
  for (const rs of lab.realservers) {
    const host = await upsertHost({
      name: `lab-${rs.name}`,
      address: rs.address,
      port: rs.sshPort,
      jumpHostId: director.id,
    });
    await trust(host, rs.hostKeyFingerprint);
    realserverHostIds[rs.name] = host.id;
  }
  const director2 = await upsertHost({
    name: "lab-director2",
    address: lab.director2.address,
    port: lab.director2.sshPort,
    jumpHostId: director.id,
  });
  await trust(director2, lab.director2.hostKeyFingerprint);

  const clusters = await panel.request<Cluster[]>("GET", "/api/clusters");
  let cluster = clusters.find((candidate) => candidate.name === "lab");
  if (cluster === undefined) {
    log("creating cluster lab");
    cluster = await panel.request<Cluster>("POST", "/api/clusters", { name: "lab" });
  }
  // vipInterface: the NAT VIP belongs on the outside link wan0, not on lan0 with the DIP.
  await panel.request("PUT", `/api/clusters/${id(cluster.id)}/director`, {
    hostId: director.id,
    dip: lab.director.dip,
    interface: lab.director.lanInterface,
    vipInterface: lab.director.wanInterface,
  });
  const wanted = {
    protocol: "tcp",
    vip: lab.vips.nat,
    port: HTTP_PORT,
    scheduler: "rr",
    forwarding: "nat",
  };
  let service = (cluster.services ?? []).find(
    (s) => s.protocol === wanted.protocol && s.vip === wanted.vip && s.port === wanted.port,
  );
  if (service === undefined) {
    log(`creating service tcp ${wanted.vip}:${wanted.port} (nat, rr)`);
    service = await panel.request<Service>(
      "POST",
      `/api/clusters/${id(cluster.id)}/services`,
      wanted,
    );
  }
  for (const rs of lab.realservers) {
    if ((service.realservers ?? []).some((r) => r.address === rs.address && r.port === HTTP_PORT))
      continue;
    log(`adding realserver ${rs.address}:${HTTP_PORT}`);
    await panel.request("POST", `/api/services/${id(service.id)}/realservers`, {
      address: rs.address,
      port: HTTP_PORT,
      hostId: realserverHostIds[rs.name],
    });
  }
  return {
    directorHostId: director.id,
    director2HostId: director2.id,
    realserverHostIds,
    clusterId: cluster.id,
    serviceId: service.id,
    notes,
  };
}
