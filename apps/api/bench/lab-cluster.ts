// The apply benchmarks' cluster on the lab director: S services × R realservers (NAT, wlc, on VIPs
// 10.77.x.y), created through the database of a bench app, with every SSH command the panel sends
// counted as a round trip; and the reset that gives the director back as the panel never saw it.
import { type LabInfo, labRun } from "@lvs-panel/lab";
import { type ClusterSpec, MANAGED_FILES, quoteShellArg } from "@lvs-panel/lvs";
import type { Command, CommandResult, RunOptions, SshTarget } from "@lvs-panel/remote";
import type { BenchApp } from "./bench-app.ts";

export function directorTarget(lab: LabInfo, id = "bench-director"): SshTarget {
  return {
    id,
    address: "127.0.0.1",
    port: lab.sshPort,
    username: "root",
    auth: { type: "key", privateKey: lab.privateKey },
    hostKeyFingerprint: lab.director.hostKeyFingerprint,
  };
}

export const benchVip = (s: number) => `10.77.${Math.floor(s / 250)}.${(s % 250) + 1}`;
export const benchRealserver = (r: number) => `10.10.${1 + Math.floor(r / 250)}.${(r % 250) + 1}`;

export function benchSpec(lab: LabInfo, services: number, realservers: number): ClusterSpec {
  return {
    director: {
      dip: lab.director.dip,
      interface: lab.director.lanInterface,
      vipInterface: lab.director.wanInterface,
    },
    services: Array.from({ length: services }, (_, s) => ({
      protocol: "tcp" as const,
      vip: benchVip(s),
      port: 80,
      scheduler: "wlc" as const,
      forwarding: "nat" as const,
      realservers: Array.from({ length: realservers }, (_, r) => ({
        address: benchRealserver(r),
        port: 8080,
        weight: 1 + (r % 5),
        enabled: true,
      })),
    })),
  };
}

/**
 * Every run starts from a director the panel never touched: empty table, no VIPs, forwarding
 * off, none of the files it persists. The emulated machine then gets a moment to finish that
 * work before a timed run starts.
 */
export async function resetDirector(): Promise<void> {
  await labRun(
    // A keepalived the panel started has --dont-release-ipvs: stopping it leaves the table.
    `p=$(cat /run/keepalived.pid 2>/dev/null) && kill "$p" 2>/dev/null; for i in $(seq 50); do pgrep -x keepalived >/dev/null || break; sleep 0.1; done; rm -f /etc/keepalived/keepalived.conf; ipvsadm -C; ip -o -4 addr show dev wan0 | awk '$4 ~ /^10\\.77\\./ {print "addr del " $4 " dev wan0"}' | ip -batch -; sysctl -qw net.ipv4.ip_forward=0; rm -f ${MANAGED_FILES.map((f) => quoteShellArg(f)).join(" ")}; true`,
  );
  await new Promise((r) => setTimeout(r, 1000));
}

export interface RoundTrips {
  count: number;
  log: string[];
  reset(): void;
}

/**
 * Counts every command the app's SSH pool sends, as its own exec or on a shell: one round trip
 * each. Installed before the app opens any shell, so shells kept between requests count too.
 */
export function countRoundTrips(app: BenchApp["app"]): RoundTrips {
  const trips: RoundTrips = {
    count: 0,
    log: [],
    reset() {
      trips.count = 0;
      trips.log.length = 0;
    },
  };
  const counted =
    (run: (c: Command, o?: RunOptions) => Promise<CommandResult>, how: string) =>
    async (c: Command, o?: RunOptions) => {
      trips.count++;
      const n = trips.count;
      const started = performance.now();
      const result = await run(c, o);
      const kb = (("script" in c ? c.script.length : 0) / 1024).toFixed(0);
      trips.log.push(
        `  round trip ${n} (${how}): ${(performance.now() - started).toFixed(0)} ms (${kb} KiB sent, ${(result.stdout.length / 1024).toFixed(0)} KiB back)`,
      );
      return result;
    };
  const run = app.ssh.run.bind(app.ssh);
  app.ssh.run = (t: SshTarget, c: Command, o?: RunOptions) =>
    counted((c2, o2) => run(t, c2, o2), "exec")(c, o);
  const session = app.ssh.session.bind(app.ssh);
  app.ssh.session = (t: SshTarget) => {
    const s = session(t);
    return { ...s, run: counted(s.run.bind(s), "shell") };
  };
  return trips;
}

/** The lab director as a trusted host of the bench app, and a cluster with `spec`'s services. */
export async function createBenchCluster(
  bench: BenchApp,
  cookie: string,
  lab: LabInfo,
  spec: ClusterSpec,
  opts: { engine: "ipvsadm" | "keepalived"; check: "tcp" | "none" },
): Promise<{ clusterId: string; hostId: string }> {
  const { app } = bench;
  const host = await app.db.host.create({
    data: {
      name: "lab-director",
      address: "127.0.0.1",
      port: lab.sshPort,
      username: "root",
      authType: "key",
    },
  });
  await app.inject({
    method: "PATCH",
    url: `/api/hosts/${host.id}`,
    headers: { cookie },
    payload: { auth: { type: "key", privateKey: lab.privateKey } },
  });
  await app.db.host.update({
    where: { id: host.id },
    data: { hostKeySha256: lab.director.hostKeyFingerprint },
  });
  const cluster = await app.db.cluster.create({ data: { name: "bench", engine: opts.engine } });
  await app.db.director.create({
    data: {
      clusterId: cluster.id,
      hostId: host.id,
      dip: lab.director.dip,
      interface: lab.director.lanInterface,
      vipInterface: lab.director.wanInterface,
    },
  });
  for (const s of spec.services) {
    await app.db.virtualService.create({
      data: {
        clusterId: cluster.id,
        protocol: s.protocol,
        vip: s.vip,
        port: s.port,
        scheduler: s.scheduler,
        forwarding: s.forwarding,
        healthCheck: JSON.stringify({
          type: opts.check,
          intervalSeconds: 5,
          timeoutSeconds: 3,
          retries: 2,
        }),
        realservers: {
          create: s.realservers.map((r) => ({
            address: r.address,
            port: r.port,
            weight: r.weight,
          })),
        },
      },
    });
  }
  return { clusterId: cluster.id, hostId: host.id };
}

/**
 * One apply through the API, timed from the POST to the end of its event stream, which the UI
 * follows (polling the full record every few ms would compete with the apply for the event loop).
 */
export async function timedApply(
  bench: BenchApp,
  cookie: string,
  clusterId: string,
  payload: Record<string, unknown> = {},
): Promise<{ ms: number; status: number | string; events: ApplyEventLike[]; startedMs: number }> {
  const { app } = bench;
  const t0 = performance.now();
  const started = await app.inject({
    method: "POST",
    url: `/api/clusters/${clusterId}/apply`,
    headers: { cookie },
    payload,
  });
  const startedMs = performance.now() - t0;
  if (started.statusCode !== 202) {
    return { ms: performance.now() - t0, status: started.statusCode, events: [], startedMs };
  }
  const { applyId } = started.json();
  await app.inject({ method: "GET", url: `/api/applies/${applyId}/events`, headers: { cookie } });
  const ms = performance.now() - t0;
  const detail = (
    await app.inject({ method: "GET", url: `/api/applies/${applyId}`, headers: { cookie } })
  ).json();
  return { ms, status: detail.status as string, events: detail.events, startedMs };
}

export interface ApplyEventLike {
  at: string;
  stage: string;
  status: string;
  phase?: string;
  message: string;
}

/** Each event's time since the one before (for BENCH_VERBOSE). */
export function eventTimeline(events: readonly ApplyEventLike[], startedAt: number): string[] {
  const origin = Date.now() - performance.now();
  let previous = startedAt;
  return events.map((e) => {
    const at = Date.parse(e.at) - origin;
    const line = `  +${((at - previous) / 1000).toFixed(2)} s  ${e.stage} ${e.phase ?? ""} ${e.status} ${e.message.slice(0, 70)}`;
    previous = at;
    return line;
  });
}

export const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
