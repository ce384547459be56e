// [LAB][PAIR] Director failover on the real IPVS kernel: the lab's two directors (the VM's root
// namespace and netns dir2, each with its own IPVS table) as a keepalived VRRP pair, set up in the
// browser, applied by the panel, and failed over under a client loop. Runs after lab.spec.ts (the
// file order is alphabetical) and starts from clean directors. LVS_PANEL_E2E_LAB=0 skips it.
import {
  director2Shell,
  disconnectLab,
  ensureLab,
  execInDirector2,
  type FailoverReport,
  type LabInfo,
  labRun,
  labStatus,
  prepareFailoverTools,
  removeFailoverTools,
  resetLvs,
  runFailover,
  type SeedResult,
  seedPanel,
  stopLab,
  syncedHolds,
  unloadIpvs,
} from "@lvs-panel/lab";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { answersFrom, planAndApplyOn, signedInPage } from "./lab-ui.ts";
import { E2E_ADMIN_PASSWORD } from "./playwright.config.ts";

test.describe.configure({ mode: "serial" });
test.skip(process.env.LVS_PANEL_E2E_LAB === "0", "LVS_PANEL_E2E_LAB=0: lab tests skipped");

const DR_VIP = "10.10.0.200";
const NAT_VIP = "192.168.77.100";
const GATEWAY = "10.10.0.254";
const ROUNDS = Number(process.env.LVS_PANEL_FAILOVER_ROUNDS ?? "10");
let lab: LabInfo;
let seed: SeedResult;
let page: Page;
let bootedHere = false;
let clusterId = "";
let clusterUrl = "";

/** Both directors as the panel never touched them: no keepalived, tables empty, no VIPs. */
// The lab's machines share one process list (pkill stops both directors' keepalived); dir2's own
// /etc and /run are reached through director2Shell.
const CLEAN_DIRECTORS = () =>
  [
    "pkill -x keepalived; sleep 0.5",
    "ipvsadm --stop-daemon master; ipvsadm --stop-daemon backup",
    "ip netns exec dir2 sh -c 'ipvsadm --stop-daemon master; ipvsadm --stop-daemon backup'",
    "rm -f /etc/keepalived/keepalived.conf",
    `${director2Shell("rm -f /etc/keepalived/keepalived.conf /run/keepalived.pid")} 2>/dev/null`,
    `ip addr del ${GATEWAY}/24 dev lan0 2>/dev/null; ip -n dir2 addr del ${GATEWAY}/24 dev lan0 2>/dev/null`,
    "ip -n dir2 link set lan0 up; ip -n dir2 link set wan0 up",
    "true",
  ].join("\n");

/** Whether dir2's own keepalived runs (its pid file, in its private /run). */
async function dir2KeepalivedRuns(): Promise<boolean> {
  const res = await execInDirector2(
    'p=$(cat /run/keepalived.pid 2>/dev/null); test -n "$p" && kill -0 "$p" 2>/dev/null && echo running || echo none',
  );
  return res.stdout.trim() === "running";
}

async function openPage(browser: Browser) {
  page = await signedInPage(browser);
}

async function api<T>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  url: string,
  data?: unknown,
) {
  const res = await page.request.fetch(url, { method, ...(data === undefined ? {} : { data }) });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  const text = await res.text();
  return (text === "" ? undefined : JSON.parse(text)) as T;
}

const planAndApply = (expectInPreview: string[]) =>
  planAndApplyOn(page, clusterUrl, expectInPreview);

/** Plans and applies through the API (no browser), for applies run under a client loop. */
async function applyByApi(): Promise<string> {
  const plan = await api<{ hash: string }>("POST", `/api/clusters/${clusterId}/plan`, {});
  const { applyId } = await api<{ applyId: string }>("POST", `/api/clusters/${clusterId}/apply`, {
    planHash: plan.hash,
  });
  return waitForApply(applyId);
}

async function waitForApply(applyId: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const apply = await api<{ status: string; error: string | null }>(
      "GET",
      `/api/applies/${applyId}`,
    );
    if (apply.status !== "running")
      return `${apply.status}${apply.error ? `: ${apply.error}` : ""}`;
    await new Promise((r) => setTimeout(r, 500));
  }
  return "timed out";
}

interface DirectorVrrp {
  hostId: string;
  vrrp?: { state: string };
}

/** The VRRP state of each director by host id, as the health route reads it now. */
async function vrrpStates(): Promise<Record<string, string>> {
  const health = await api<{ directors: DirectorVrrp[] }>(
    "GET",
    `/api/clusters/${clusterId}/health`,
  );
  return Object.fromEntries(health.directors.map((d) => [d.hostId, d.vrrp?.state ?? "none"]));
}

async function untilMaster(hostId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, string> = {};
  while (Date.now() < deadline) {
    last = await vrrpStates();
    if (last[hostId] === "MASTER") return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${hostId} never became MASTER: ${JSON.stringify(last)}`);
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { n: sorted.length, median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

function survived(report: FailoverReport): { synced: number; ok: number } {
  const held = syncedHolds(report);
  return { synced: held.length, ok: held.filter((h) => h.ok).length };
}

const START_KEEPALIVED =
  "keepalived --dont-release-ipvs -f /etc/keepalived/keepalived.conf -p /run/keepalived.pid";

test.beforeAll(async ({ browser }, info) => {
  test.setTimeout(600_000);
  bootedHere = (await labStatus()) === undefined;
  lab = await ensureLab();
  await labRun(CLEAN_DIRECTORS());
  await resetLvs();
  await openPage(browser);
  for (const c of await api<{ id: string }[]>("GET", "/api/clusters")) {
    await api("DELETE", `/api/clusters/${c.id}`);
  }
  seed = await seedPanel(lab, {
    url: String(info.project.use.baseURL),
    username: "admin",
    password: E2E_ADMIN_PASSWORD,
    log: () => {},
  });
  await api("DELETE", `/api/clusters/${seed.clusterId}`);
  await prepareFailoverTools();
});

test.afterAll(async () => {
  // For a look at the hosts after a failure: LVS_PANEL_E2E_KEEP=1 leaves them as they are.
  if (process.env.LVS_PANEL_E2E_KEEP === "1") return;
  await removeFailoverTools().catch(() => undefined);
  await labRun(CLEAN_DIRECTORS()).catch(() => undefined);
  await resetLvs().catch(() => undefined);
  await unloadIpvs().catch(() => undefined);
  await page?.close();
  await disconnectLab();
  if (bootedHere) await stopLab();
});

test("[LAB][PAIR] a DR and a NAT service on a pair set up in the browser: 3/3 each, the page shows the master", async () => {
  test.setTimeout(600_000);
  const cluster = await api<{ id: string }>("POST", "/api/clusters", {
    name: "pair",
    engine: "keepalived",
  });
  clusterId = cluster.id;
  clusterUrl = `/clusters/${clusterId}`;
  await api("PUT", `/api/clusters/${clusterId}/director`, {
    hostId: seed.directorHostId,
    dip: lab.director.dip,
    interface: "lan0",
    vipInterface: "wan0",
  });
  for (const [vip, forwarding] of [
    [DR_VIP, "dr"],
    [NAT_VIP, "nat"],
  ] as const) {
    const service = await api<{ id: string }>("POST", `/api/clusters/${clusterId}/services`, {
      protocol: "tcp",
      vip,
      port: 80,
      scheduler: "rr",
      forwarding,
      healthCheck: { type: "tcp", intervalSeconds: 2, timeoutSeconds: 1, retries: 1 },
    });
    for (const rs of lab.realservers) {
      await api("POST", `/api/services/${service.id}/realservers`, {
        address: rs.address,
        port: 80,
        hostId: seed.realserverHostIds[rs.name],
      });
    }
  }

  // The failover settings and the second director, in the browser.
  await page.goto(clusterUrl);
  await page.getByRole("button", { name: "Set up failover" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Virtual router id").fill("51");
  await dialog.getByLabel("Floating gateway").fill(GATEWAY);
  await dialog
    .getByLabel("Host")
    .selectOption({ label: `lab-director2 (${lab.director2.address})` });
  await dialog.getByLabel("DIP").fill(lab.director2.address);
  await dialog.getByLabel("Priority").fill("100");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  expect(
    await planAndApply([
      "Check the new keepalived.conf with keepalived -t (both directors are checked before either is replaced)",
    ]),
  ).toBe("Apply succeeded");

  await untilMaster(seed.directorHostId);
  expect(await answersFrom("clientdr", `http://${DR_VIP}/`)).toEqual(["rs1", "rs2", "rs3"]);
  expect(await answersFrom("clientnat", `http://${NAT_VIP}/`)).toEqual(["rs1", "rs2", "rs3"]);
  // The VIPs and the gateway are on the master only; both directors hold the same table.
  const rootAddrs = await labRun("ip -o addr show");
  const dir2Addrs = await labRun("ip -n dir2 -o addr show");
  for (const a of [DR_VIP, NAT_VIP, GATEWAY]) {
    expect(rootAddrs).toContain(` ${a}/`);
    expect(dir2Addrs).not.toContain(` ${a}/`);
  }
  expect(await labRun("ip netns exec dir2 ipvsadm -Ln | grep -cE 'Route|Masq'")).toMatch(/^6/);
  // The realservers' NAT return route points at the floating gateway.
  expect(await labRun("ip -n rs1 route show table 4100")).toContain(`via ${GATEWAY}`);

  await page.goto(clusterUrl);
  const directors = page.getByRole("list", { name: "Directors" });
  await expect(
    directors.getByRole("listitem", { name: "Director lab-director", exact: true }),
  ).toContainText("Master: carries the VIPs", { timeout: 30_000 });
  await expect(directors.getByRole("listitem", { name: "Director lab-director2" })).toContainText(
    "Backup",
  );
});

test("[LAB][PAIR] failover: the master's keepalived stopped, and the master's links cut hard", async () => {
  test.setTimeout(1_200_000);
  // Graceful: keepalived on the master (the root namespace) stopped; dir2 takes over, and the
  // first director takes the VIPs back when it returns (preempt).
  const graceful: FailoverReport[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await untilMaster(seed.directorHostId);
    const report = await runFailover({
      action: 'kill "$(cat /run/keepalived.pid)"',
      takeover: "dir2",
      beforeMs: 2500,
      afterMs: 3500,
      holds: i === 0 ? 10 : 0,
    });
    graceful.push(report);
    await labRun(`${START_KEEPALIVED}`);
  }
  // Hard cut: dir2 made the master (by priority, through the API's switchover), then its links
  // put down without a goodbye. (The root namespace's lan0 is the lab's bridge: never cut.)
  const switched = await api<{ applyId: string }>("POST", `/api/clusters/${clusterId}/switchover`, {
    hostId: seed.director2HostId,
  });
  expect(await waitForApply(switched.applyId)).toBe("succeeded");
  const hard: FailoverReport[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await untilMaster(seed.director2HostId);
    const report = await runFailover({
      action: "ip -n dir2 link set lan0 down; ip -n dir2 link set wan0 down",
      takeover: "director",
      beforeMs: 2500,
      afterMs: 5500,
      holds: i === 0 ? 10 : 0,
    });
    hard.push(report);
    await labRun("ip -n dir2 link set lan0 up; ip -n dir2 link set wan0 up");
  }
  const outage = {
    graceful: stats(graceful.map((r) => r.outageMs)),
    hard: stats(hard.map((r) => r.outageMs)),
  };
  const takeover = {
    graceful: stats(graceful.map((r) => r.takeoverMs ?? -1)),
    hard: stats(hard.map((r) => r.takeoverMs ?? -1)),
  };
  const first = [graceful[0], hard[0]].filter((r): r is FailoverReport => r !== undefined);
  const syncOn = first.map(survived);
  console.log(
    `[PAIR] outage ms ${JSON.stringify(outage)}; VIP takeover ms ${JSON.stringify(takeover)}; held connections with sync on (synced, survived): ${JSON.stringify(syncOn)}`,
  );
  // Every request after the outage is answered; the backup is master within 3 adverts + skew
  // (advert 1 s) plus the client's probe interval.
  for (const r of [...graceful, ...hard]) {
    expect(r.takeoverMs, JSON.stringify(r)).toBeDefined();
    expect(r.outageMs).toBeLessThan(6000);
    expect(r.answeredBy.length).toBeGreaterThanOrEqual(2);
  }
  for (const s of syncOn) {
    expect(s.synced).toBeGreaterThan(0);
    expect(s.ok / s.synced).toBeGreaterThanOrEqual(0.95);
  }
});

test("[LAB][PAIR] with connection sync off, held connections do not survive; preempt off keeps the new master", async () => {
  test.setTimeout(600_000);
  const cluster = await api<{ ha: Record<string, unknown> }>("GET", `/api/clusters/${clusterId}`);
  await api("PATCH", `/api/clusters/${clusterId}`, {
    ha: { ...cluster.ha, connectionSync: false, preempt: false },
  });
  expect(await applyByApi()).toBe("succeeded");
  await untilMaster(seed.director2HostId);
  const report = await runFailover({
    action: director2Shell('kill "$(cat /run/keepalived.pid)"'),
    takeover: "director",
    beforeMs: 3000,
    afterMs: 4000,
    holds: 10,
  });
  const held = report.held;
  const ok = held.filter((h) => h.ok).length;
  console.log(`[PAIR] sync off: ${ok}/${held.length} held connections survived`);
  expect(ok / held.length).toBeLessThan(0.95);
  // dir2 returns; without preemption the first director stays master.
  expect((await execInDirector2(START_KEEPALIVED)).code).toBe(0);
  await new Promise((r) => setTimeout(r, 6000));
  const states = await vrrpStates();
  expect(states[seed.directorHostId]).toBe("MASTER");
  expect(states[seed.director2HostId]).toBe("BACKUP");
});

test("[LAB][PAIR] a switchover from the UI, then one director and two again, each applied under a client loop: no request lost", async () => {
  test.setTimeout(900_000);
  const cluster = await api<{ ha: Record<string, unknown> }>("GET", `/api/clusters/${clusterId}`);
  await api("PATCH", `/api/clusters/${clusterId}`, {
    ha: { ...cluster.ha, connectionSync: true, preempt: true },
  });
  expect(await applyByApi()).toBe("succeeded");
  // The switchover of the earlier test gave dir2 the higher priority: with preemption back on
  // it takes the VIPs.
  await untilMaster(seed.director2HostId);

  await page.goto(clusterUrl);
  await page.getByRole("button", { name: "Make lab-director the master" }).click();
  await page.getByRole("link", { name: "Follow the apply" }).click();
  await expect(page.getByText(/Apply succeeded/).first()).toBeVisible({ timeout: 300_000 });
  await untilMaster(seed.directorHostId);
  const audit = await api<{ action: string }[]>("GET", "/api/audit?action=cluster.switchover");
  expect(audit.length).toBeGreaterThanOrEqual(2);

  // Back to one director, through the browser's dialog, applied under a client loop.
  await page.goto(clusterUrl);
  await page.getByRole("button", { name: "Failover settings" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Second director").uncheck();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  const [toOne, one] = await Promise.all([
    runFailover({ action: "true", takeover: "director", beforeMs: 500, afterMs: 40_000 }),
    applyByApi(),
  ]);
  expect(one).toBe("succeeded");
  console.log(
    `[PAIR] two directors to one: ${toOne.answers} answers, ${toOne.failures} failed, longest gap ${toOne.outageMs} ms`,
  );
  expect(toOne.failures).toBe(0);
  expect(await dir2KeepalivedRuns()).toBe(false);
  expect(await labRun("ip netns exec dir2 ipvsadm -Ln | grep -cE 'Route|Masq' || true")).toMatch(
    /^0/,
  );
  expect(await answersFrom("clientdr", `http://${DR_VIP}/`)).toEqual(["rs1", "rs2", "rs3"]);

  // And one to two again (the API), under the same loop.
  const now = await api<{ directors: { hostId: string; dip: string; priority: number }[] }>(
    "GET",
    `/api/clusters/${clusterId}`,
  );
  const first = now.directors[0];
  expect(first?.hostId).toBe(seed.directorHostId);
  await api("PUT", `/api/clusters/${clusterId}/directors`, [
    {
      hostId: seed.directorHostId,
      dip: lab.director.dip,
      interface: "lan0",
      vipInterface: "wan0",
      priority: 150,
    },
    {
      hostId: seed.director2HostId,
      dip: lab.director2.address,
      interface: "lan0",
      vipInterface: "wan0",
      priority: 100,
    },
  ]);
  const [toTwo, two] = await Promise.all([
    runFailover({ action: "true", takeover: "director", beforeMs: 500, afterMs: 40_000 }),
    applyByApi(),
  ]);
  expect(two).toBe("succeeded");
  console.log(
    `[PAIR] one director to two: ${toTwo.answers} answers, ${toTwo.failures} failed, longest gap ${toTwo.outageMs} ms`,
  );
  expect(toTwo.failures).toBe(0);
  expect(await dir2KeepalivedRuns()).toBe(true);
  await untilMaster(seed.directorHostId);
});

test("[LAB][FIRST-HOUR] Drain offers Apply now: the plan, then the apply, and the director's weight is 0", async () => {
  test.setTimeout(600_000);
  const endpoint = `${lab.realservers[0]?.address}:80`;
  await page.goto(clusterUrl);
  const dr = page.getByRole("region", { name: `Service TCP ${DR_VIP}:80` });
  await dr.getByRole("button", { name: `Drain realserver ${endpoint}` }).click();
  await expect(dr.getByText("Draining (pending)")).toBeVisible();
  await expect(page.getByRole("region", { name: "Pending changes" })).toContainText(
    `Drain ${endpoint} in TCP ${DR_VIP}:80`,
  );
  await dr.getByRole("button", { name: "Apply now" }).click();
  const preview = page.getByRole("dialog", { name: /^(Plan preview|Appl|Drain)/ });
  const apply = preview.getByRole("button", { name: "Apply", exact: true });
  await expect(apply).toBeEnabled({ timeout: 120_000 });
  await apply.click();
  await expect(preview.getByRole("status")).toHaveText(/Apply succeeded/, { timeout: 300_000 });
  await preview.getByRole("button", { name: "Close" }).click();
  // keepalived carries it on both directors (the reload): weight 0 for that realserver.
  for (const list of [
    await labRun(`ipvsadm -Ln -t ${DR_VIP}:80`),
    await labRun(`ip netns exec dir2 ipvsadm -Ln -t ${DR_VIP}:80`),
  ]) {
    expect(list).toMatch(new RegExp(`-> ${endpoint.replaceAll(".", "\\.")}\\s+Route\\s+0\\s`));
  }
  await expect(dr.getByText("Draining (pending)")).toHaveCount(0);
  await expect(dr.getByText("Draining", { exact: true })).toBeVisible();
});
