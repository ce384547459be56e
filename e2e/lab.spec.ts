// [LAB] The whole product on a real IPVS kernel (the qemu lab, packages/lab), only through the
// browser, from an empty panel; every step is also checked on the hosts themselves over SSH.
// Set LVS_PANEL_E2E_LAB=0 to skip on a machine without qemu/debootstrap.

import { readFileSync } from "node:fs";
import path from "node:path";
import {
  disconnectLab,
  ensureLab,
  execInRealserver,
  type LabInfo,
  labRun,
  labStatus,
  stopLab,
} from "@lvs-panel/lab";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { answersFrom, planAndApplyOn, signedInPage } from "./lab-ui.ts";

test.describe.configure({ mode: "serial" });
test.skip(process.env.LVS_PANEL_E2E_LAB === "0", "LVS_PANEL_E2E_LAB=0: lab tests skipped");

const VIP = "192.168.77.100";
const CLUSTER = "lab-e2e";
let lab: LabInfo;
let page: Page;
/** Stop the VM afterwards only if this suite booted it (a developer's running lab stays up). */
let bootedHere = false;
let clusterUrl = "";

async function openPage(browser: Browser) {
  page = await signedInPage(browser);
}

async function addHost(name: string, address: string, port: number, jump?: string) {
  await page.goto("/hosts");
  await page.getByRole("button", { name: "Add host" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Address").fill(address);
  await dialog.getByLabel("Port").fill(String(port));
  await dialog.getByLabel("Username").fill("root");
  await dialog.getByLabel("Private key").fill(lab.privateKey);
  if (jump) await dialog.getByLabel("Jump host").selectOption({ label: jump });
  await dialog.getByRole("button", { name: "Save" }).click();
  // Saving leads into the host's setup: trust the key after comparing it with what the lab made.
  const keyDialog = page.getByRole("dialog", { name: `Set up ${name}` });
  const expected =
    name === "lab-director"
      ? lab.director.hostKeyFingerprint
      : lab.realservers.find((r) => `lab-${r.name}` === name)?.hostKeyFingerprint;
  await expect(keyDialog.getByText(expected ?? "missing", { exact: true })).toBeVisible({
    timeout: 60_000,
  });
  await keyDialog.getByRole("button", { name: "Trust this key" }).click();
  await expect(keyDialog.getByRole("button", { name: "Test login" })).toBeVisible({
    timeout: 60_000,
  });
  await keyDialog.getByRole("button", { name: "Close" }).click();
  await expect(keyDialog).toBeHidden();
}

/** The VIP's port-80 service, rr, with the lab's three realservers as managed hosts. */
async function addServiceWithLabRealservers(forwarding: "nat" | "dr") {
  await page.getByRole("button", { name: "Add service" }).first().click();
  const service = page.getByRole("dialog");
  await service.getByLabel("VIP").fill(VIP);
  // exact: a keepalived cluster's dialog also has "Check port" and "Sorry server port".
  await service.getByLabel("Port", { exact: true }).fill("80");
  await service.getByLabel("Scheduler").selectOption("rr");
  await service.getByLabel("Forwarding").selectOption(forwarding);
  await service.getByRole("button", { name: "Save" }).click();
  await expect(service).toBeHidden();
  for (const rs of lab.realservers) {
    await page.getByRole("button", { name: "Add realserver" }).first().click();
    const form = page.getByRole("dialog");
    await form.getByLabel("Address").fill(rs.address);
    await form.getByLabel("Port", { exact: true }).fill("80");
    await form.getByLabel("Managed host").selectOption({ label: `lab-${rs.name} (${rs.address})` });
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form).toBeHidden();
  }
}

const planAndApply = (expectInPreview: string[]) =>
  planAndApplyOn(page, clusterUrl, expectInPreview);

/** Starts a realserver's own sshd again (as the lab's init does) unless it is listening. */
async function ensureRealserverSshd(rs: "rs1" | "rs2" | "rs3") {
  await labRun(
    `ip netns exec ${rs} ss -ltn | grep -q ':22 ' || ip netns exec ${rs} unshare --uts sh -c 'mount --bind "$1" /etc && hostname "$2" && exec /usr/sbin/sshd -f "/etc/ssh/sshd_config.$2"' x /var/lib/lab/${rs}/etc ${rs}`,
  );
}

const sysctl = async (rs: "rs1" | "rs2" | "rs3", key: string) =>
  (await execInRealserver(rs, `sysctl -n ${key}`)).stdout.trim();

test.beforeAll(async ({ browser }) => {
  test.setTimeout(20 * 60_000); // a cold lab image build takes minutes
  bootedHere = (await labStatus()) === undefined;
  lab = await ensureLab((line) => console.log(`[lab] ${line}`));
  // Start from a clean kernel table and hosts, whatever an earlier run left.
  await labRun(
    // A keepalived an earlier run left (the panel starts it with --dont-release-ipvs) goes first.
    'p=$(cat /run/keepalived.pid 2>/dev/null) && kill "$p" 2>/dev/null; for i in $(seq 50); do pgrep -x keepalived >/dev/null || break; sleep 0.1; done; rm -f /etc/keepalived/keepalived.conf; ipvsadm -C; ip addr del 192.168.77.100/32 dev wan0 2>/dev/null; ip addr del 192.168.77.100/32 dev lan0 2>/dev/null; true',
  );
  for (const rs of ["rs1", "rs2", "rs3"] as const) {
    await ensureRealserverSshd(rs);
    await execInRealserver(
      rs,
      "ip addr del 192.168.77.100/32 dev lo 2>/dev/null; ip rule del priority 4100 2>/dev/null; ip route flush table 4100 2>/dev/null; true",
    );
  }
  await openPage(browser);
});

test.afterAll(async () => {
  await page?.close();
  await disconnectLab();
  if (bootedHere) await stopLab();
});

test("[LAB][NAT] hosts, cluster, service and realservers through the UI; plan shows ipvsadm; apply succeeds", async () => {
  test.setTimeout(15 * 60_000);
  await addHost("lab-director", "127.0.0.1", lab.sshPort);
  for (const rs of lab.realservers)
    await addHost(`lab-${rs.name}`, rs.address, 22, "lab-director (127.0.0.1)");

  await page.goto("/clusters");
  await page.getByRole("button", { name: "Create cluster" }).first().click();
  await page.getByRole("dialog").getByLabel("Name").fill(CLUSTER);
  await page.getByRole("dialog").getByRole("button", { name: "Create cluster" }).click();
  // Creating a cluster opens its page.
  await expect(page).toHaveURL(/\/clusters\/[^/]+$/);
  await expect(page.getByRole("heading", { name: CLUSTER })).toBeVisible();
  clusterUrl = page.url();

  await page.getByRole("button", { name: "Set director" }).click();
  const director = page.getByRole("dialog");
  await director.getByLabel("Host").selectOption({ label: "lab-director (127.0.0.1)" });
  await director.getByLabel("DIP").fill(lab.director.dip);
  await director.getByLabel("Interface", { exact: true }).fill(lab.director.lanInterface);
  await director.getByLabel("Outward NIC for NAT VIPs").fill(lab.director.wanInterface);
  await director.getByRole("button", { name: "Save" }).click();
  await expect(director).toBeHidden();

  await addServiceWithLabRealservers("nat");

  // rs2 is a minimal host without /etc/protocols: the rules go by protocol number.
  expect((await execInRealserver("rs2", "test -e /etc/protocols")).code).not.toBe(0);
  const status = await planAndApply([
    `-A -t ${VIP}:80 -s rr`,
    `-a -t ${VIP}:80 -r 10.10.0.11:80 -m -w 1`,
    "ip -4 rule add priority 4100 from 10.10.0.12 ipproto 6 sport 80 lookup 4100",
  ]);
  expect(status).toBe("Apply succeeded");
  // The same rule as each host prints it: by name with /etc/protocols, by number without.
  expect((await execInRealserver("rs1", "ip -4 rule show")).stdout).toContain(
    "from 10.10.0.11 ipproto tcp sport 80 lookup 4100",
  );
  expect((await execInRealserver("rs2", "ip -4 rule show")).stdout).toContain(
    "from 10.10.0.12 ipproto ipproto-6 sport 80 lookup 4100",
  );

  const table = await labRun("ipvsadm -Ln");
  expect(table).toContain(`TCP  ${VIP}:80 rr`);
  expect(table.match(/Masq/g)).toHaveLength(3);
  expect(await labRun("ip -o addr show dev wan0")).toContain(`${VIP}/32`);
  expect((await labRun("sysctl -n net.ipv4.ip_forward")).trim()).toBe("1");
  for (const rs of ["rs1", "rs2", "rs3"] as const) {
    expect((await execInRealserver(rs, "ip route show table 4100")).stdout).toContain(
      "default via 10.10.0.1",
    );
  }
});

test("[LAB][NAT] requests from the client reach every realserver; the live view shows them", async () => {
  test.setTimeout(5 * 60_000);
  expect(await answersFrom("clientnat", `http://${VIP}/`)).toEqual(["rs1", "rs2", "rs3"]);
  const conns = await labRun("ipvsadm -Lnc");
  for (const rs of lab.realservers) expect(conns).toContain(`${rs.address}:80`);

  await page.goto(`${clusterUrl}/live`);
  const table = page.getByRole("table", { name: "Connections" });
  for (const rs of lab.realservers) {
    await expect(table.getByText(`${rs.address}:80`).first()).toBeVisible({ timeout: 60_000 });
  }
  await expect(table.getByText(`${VIP}:80`).first()).toBeVisible();
});

test("[LAB][DRAIN] drain a realserver from the cluster page: weight 0 on the director, no new requests, its connections shown; the overview is all green", async () => {
  test.setTimeout(10 * 60_000);
  const rs3 = lab.realservers.find((r) => r.name === "rs3");
  if (!rs3) throw new Error("the lab has no rs3");
  const endpoint = `${rs3.address}:80`;
  await page.goto(clusterUrl);
  const realservers = page.getByRole("table", { name: `Realservers of TCP ${VIP}:80` });
  // Fresh traffic, then the page shows rs3's connections from the director's live figures.
  expect(await answersFrom("clientnat", `http://${VIP}/`, 6)).toEqual(["rs1", "rs2", "rs3"]);
  const rs3Connections = realservers.getByRole("status", { name: `Connections to ${endpoint}` });
  await expect(rs3Connections).toHaveAccessibleName(
    /: ([1-9]\d* active, \d+|\d+ active, [1-9]\d*) inactive$/,
    { timeout: 30_000 },
  );

  await realservers.getByRole("button", { name: `Drain realserver ${endpoint}` }).click();
  await expect(realservers.getByRole("row", { name: new RegExp(endpoint) })).toContainText(
    "Draining",
  );
  const status = await planAndApply([`-e -t ${VIP}:80 -r ${endpoint} -m -w 0`]);
  expect(status).toBe("Apply succeeded");
  expect(await labRun("ipvsadm -Ln")).toMatch(
    new RegExp(`${endpoint.replaceAll(".", "\\.")}\\s+Masq\\s+0\\s`),
  );
  // New requests go elsewhere; rs3's figures stay on the page while its connections expire.
  expect(await answersFrom("clientnat", `http://${VIP}/`)).toEqual(["rs1", "rs2"]);
  await expect(
    page
      .getByRole("table", { name: `Realservers of TCP ${VIP}:80` })
      .getByRole("status", { name: `Connections to ${endpoint}` }),
  ).toHaveAccessibleName(/: \d+ active, \d+ inactive$/, { timeout: 30_000 });

  // The overview: every host answers, nothing pending after the apply.
  await page.goto("/clusters");
  const row = page.getByRole("listitem", { name: `Cluster ${CLUSTER}` });
  await expect(row.getByText("4/4 reachable")).toBeVisible({ timeout: 60_000 });
  await expect(row.getByText("Succeeded")).toBeVisible();
  await expect(row.getByRole("link", { name: /Pending changes/ })).toHaveCount(0);
  await expect(row.getByText("3 realservers")).toBeVisible();

  // Undrain: pending again; the next apply (the DR toggle) gives rs3 its weight back.
  await page.goto(clusterUrl);
  await page.getByRole("button", { name: `Undrain realserver ${endpoint}` }).click();
  await expect(
    page.getByRole("row", { name: new RegExp(endpoint) }).getByText("Enabled"),
  ).toBeVisible();
  await page.goto("/clusters");
  await expect(row.getByRole("link", { name: /Pending changes/ })).toBeVisible();
});

test("[LAB][DR] the NAT/DR toggle: preview shows ARP settings and the VIP on lo; apply; traffic flows directly", async () => {
  test.setTimeout(10 * 60_000);
  await page.goto(clusterUrl);
  await page.getByRole("switch", { name: "Forwarding: DR" }).click();
  await expect(page.getByRole("switch", { name: "Forwarding: DR" })).toBeChecked();
  await expect(page.getByRole("switch", { name: "Forwarding: DR" })).toBeEnabled();

  const status = await planAndApply(["net.ipv4.conf.all.arp_ignore=1", `${VIP}/32 dev lo`]);
  expect(status).toBe("Apply succeeded");

  const table = await labRun("ipvsadm -Ln");
  expect(table.match(/Route/g)).toHaveLength(3);
  expect(table).not.toContain("Masq");
  for (const rs of ["rs1", "rs2", "rs3"] as const) {
    expect(await sysctl(rs, "net.ipv4.conf.all.arp_ignore")).toBe("1");
    expect(await sysctl(rs, "net.ipv4.conf.all.arp_announce")).toBe("2");
    expect(await sysctl(rs, "net.ipv4.conf.lo.arp_ignore")).toBe("1");
    expect(await sysctl(rs, "net.ipv4.conf.lo.arp_announce")).toBe("2");
    expect((await execInRealserver(rs, "ip -o addr show dev lo")).stdout).toContain(`${VIP}/32`);
  }
  // The DR client sits on the director's L2 segment; the VIP is on-link for it.
  await labRun(`ip -n clientdr route replace ${VIP}/32 dev eth0`);
  expect(await answersFrom("clientdr", `http://${VIP}/`)).toEqual(["rs1", "rs2", "rs3"]);
});

test("[LAB][DEAD] a dead realserver is drained and removed on the director alone; its cleanup waits and runs once it is back", async () => {
  test.setTimeout(10 * 60_000);
  const endpoint = "10.10.0.12:80";
  const realservers = page.getByRole("table", { name: `Realservers of TCP ${VIP}:80` });
  // rs2's link goes down: packets to it vanish; the panel's pooled connection still looks open.
  await labRun("ip -n rs2 link set eth0 down");
  try {
    await page.goto(clusterUrl);
    await realservers.getByRole("button", { name: `Drain realserver ${endpoint}` }).click();
    await expect(realservers.getByRole("row", { name: new RegExp(endpoint) })).toContainText(
      "Draining",
    );
    let started = Date.now();
    await page.getByRole("button", { name: "Plan changes" }).click();
    const preview = page.getByRole("dialog", { name: /^(Plan preview|Appl)/ });
    const dead = preview.getByRole("region", { name: "Unreachable host lab-rs2" });
    await expect(dead).toBeVisible({ timeout: 60_000 });
    console.log(`[lab] plan with rs2 dead answered in ${Date.now() - started} ms`);
    await expect(dead).toContainText("Nothing in this change needs it");
    await expect(preview.getByText(`-e -t ${VIP}:80 -r ${endpoint} -g -w 0`).first()).toBeVisible();
    started = Date.now();
    await preview.getByRole("button", { name: "Apply", exact: true }).click();
    await expect(preview.getByRole("status")).toHaveText("Apply succeeded", { timeout: 120_000 });
    console.log(`[lab] drain applied in ${Date.now() - started} ms`);
    await preview.getByRole("button", { name: "Close" }).click();
    expect(await labRun("ipvsadm-save -n")).toContain(`-r ${endpoint} -g -w 0`);

    // Removing it: the director only; taking the VIP off its lo waits for it.
    await realservers.getByRole("button", { name: `Delete realserver ${endpoint}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await page.getByRole("button", { name: "Plan changes" }).click();
    const removal = page.getByRole("dialog", { name: /^(Plan preview|Appl)/ });
    const waiting = removal.getByRole("list", { name: "Steps pending on lab-rs2" });
    await expect(waiting.getByText(`Remove ${VIP}/32 from lo`)).toBeVisible({ timeout: 60_000 });
    await removal.getByRole("button", { name: "Apply", exact: true }).click();
    await expect(removal.getByRole("status")).toHaveText("Apply succeeded", { timeout: 120_000 });
    await removal.getByRole("button", { name: "Close" }).click();
    expect(await labRun("ipvsadm-save -n")).not.toContain("10.10.0.12");
    // The cluster page keeps the pending step in view until a later apply reaches rs2.
    const pendingPanel = page.getByRole("region", { name: "Pending on unreachable hosts" });
    await expect(pendingPanel.getByText(`Remove ${VIP}/32 from lo`)).toBeVisible();
  } finally {
    await labRun("ip -n rs2 link set eth0 up");
  }
  // Back once the director reaches rs2's sshd again (the panel connects through it).
  await labRun(
    "for i in $(seq 1 40); do timeout 1 bash -c '</dev/tcp/10.10.0.12/22' 2>/dev/null && exit 0; sleep 0.5; done; exit 1",
  );
  // Back: the next apply takes the VIP off its lo by itself.
  expect((await execInRealserver("rs2", "ip -o addr show dev lo")).stdout).toContain(VIP);
  const status = await planAndApply([`Remove ${VIP}/32 from lo`]);
  expect(status).toBe("Apply succeeded");
  expect((await execInRealserver("rs2", "ip -o addr show dev lo")).stdout).not.toContain(VIP);
  expect(await sysctl("rs2", "net.ipv4.conf.all.arp_ignore")).toBe("0");
  await expect(page.getByRole("region", { name: "Pending on unreachable hosts" })).toHaveCount(0);
});

test("[LAB][REMOVE] deleting the service and applying leaves an empty table and no VIP anywhere", async () => {
  test.setTimeout(10 * 60_000);
  await page.goto(clusterUrl);
  await page.getByRole("button", { name: `Delete service TCP ${VIP}:80` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();

  const status = await planAndApply([`-D -t ${VIP}:80`]);
  expect(status).toBe("Apply succeeded");
  const table = await labRun("ipvsadm -Ln");
  expect(table).not.toMatch(/^(TCP|UDP|FWM) /m);
  expect(await labRun("ip -o addr show")).not.toContain(VIP);
  for (const rs of ["rs1", "rs2", "rs3"] as const) {
    expect((await execInRealserver(rs, "ip -o addr show")).stdout).not.toContain(VIP);
  }
});

// ---- keepalived: the engine that health-checks the realservers (issue 14) ----

const keepalivedPid = async () =>
  (
    await labRun(
      'p=$(cat /run/keepalived.pid 2>/dev/null) && kill -0 "$p" 2>/dev/null && echo "$p"; true',
    )
  ).trim();
const weightOf = async (endpoint: string) => {
  const line = (await labRun("ipvsadm -Ln")).split("\n").find((l) => l.includes(`-> ${endpoint} `));
  return line === undefined ? null : Number(line.trim().split(/\s+/)[3]);
};
const HTTPD_RS2 = "busybox httpd -p 80 -h /srv/rs2";

async function untilTrue(what: string, fn: () => Promise<boolean>, timeoutMs: number) {
  const started = Date.now();
  while (!(await fn())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

test("[LAB][KEEPALIVED] switching a serving DR cluster from ipvsadm to keepalived under a steady client loop loses no request", async () => {
  test.setTimeout(10 * 60_000);
  await page.goto(clusterUrl);
  await addServiceWithLabRealservers("dr");
  expect(await planAndApply([`-A -t ${VIP}:80 -s rr`])).toBe("Apply succeeded");
  expect(await answersFrom("clientdr", `http://${VIP}/`)).toEqual(["rs1", "rs2", "rs3"]);
  const before = await labRun("ipvsadm -S -n");

  // A client that never stops asking, one request after the other, while the engine changes.
  await labRun(
    `touch /tmp/loop.run; : > /tmp/loop.log; nohup ip netns exec clientdr sh -c 'while test -e /tmp/loop.run; do curl -s -m 3 -o /dev/null -w "%{http_code}\\n" http://${VIP}/ >> /tmp/loop.log; done' >/dev/null 2>&1 &`,
  );
  try {
    await page.getByRole("button", { name: "Change engine" }).click();
    const engine = page.getByRole("dialog", { name: "Change engine" });
    await engine.getByLabel("Engine").selectOption("keepalived");
    await engine.getByRole("button", { name: "Save" }).click();
    await expect(engine).toBeHidden();
    const status = await planAndApply([
      "Check keepalived.conf with keepalived -t, then start keepalived over the table as it is",
    ]);
    expect(status).toBe("Apply succeeded");
    await new Promise((r) => setTimeout(r, 2000));
  } finally {
    await labRun("rm -f /tmp/loop.run; sleep 3");
  }
  const answers = (await labRun("cat /tmp/loop.log")).split("\n").filter(Boolean);
  console.log(
    `[lab] ${answers.length} requests during the switch, ${answers.filter((a) => a !== "200").length} failed`,
  );
  expect(answers.length).toBeGreaterThan(20);
  expect(answers.filter((a) => a !== "200")).toEqual([]);
  // keepalived took over the identical table, and boot will not flush it.
  expect(await keepalivedPid()).toMatch(/^\d+$/);
  expect(await labRun("ipvsadm -S -n")).toBe(before);
  expect(await labRun("cat /etc/default/ipvsadm")).toContain('AUTO="false"');
  const director = page.getByRole("region", { name: "Director" });
  await expect(director).toContainText("keepalived (health-checked)");
  await expect(director).toContainText(/Running \(pid \d+\)/);
});

test("[LAB][KEEPALIVED] a dead realserver is out within interval × (retries + 1) and shown down; back when it recovers; a weight change is a reload", async () => {
  test.setTimeout(10 * 60_000);
  const endpoint = "10.10.0.12:80";
  const realservers = page.getByRole("table", { name: `Realservers of TCP ${VIP}:80` });
  await page.goto(clusterUrl);
  // A fast check: every second, down after 2 failures.
  await page.getByRole("button", { name: `Edit service TCP ${VIP}:80` }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Health check").selectOption("tcp");
  await dialog.getByLabel("Interval (seconds)").fill("1");
  await dialog.getByLabel("Timeout (seconds)").fill("1");
  await dialog.getByLabel("Retries").fill("1");
  await dialog.getByLabel("On failure").selectOption("quiesce");
  // (1 s + 1 s) × 2 for one that does not answer at all; one that refuses is out in 2 s.
  await expect(dialog).toContainText("A dead realserver stops getting new connections within 4 s.");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  const pid = await keepalivedPid();
  expect(await planAndApply(["reload keepalived"])).toBe("Apply succeeded");
  expect(await keepalivedPid()).toBe(pid);
  expect(await labRun("cat /etc/keepalived/keepalived.conf")).toContain("delay_loop 1");
  await expect(realservers.getByRole("row", { name: new RegExp(endpoint) })).toContainText("Up", {
    timeout: 30_000,
  });

  // rs2's web server dies.
  await execInRealserver("rs2", `pkill -f '${HTTPD_RS2}'`);
  const killedAt = Date.now();
  const toWeight0 = await untilTrue(
    "rs2 at weight 0",
    async () => (await weightOf(endpoint)) === 0,
    30_000,
  );
  console.log(`[lab] kill → weight 0 on the director: ${toWeight0} ms`);
  // interval × (retries + 1) = 2 s, plus scheduling on the emulated director.
  expect(toWeight0).toBeLessThan(2000 + 3000);
  await expect(realservers.getByRole("row", { name: new RegExp(endpoint) })).toContainText("Down", {
    timeout: 5_000,
  });
  console.log(`[lab] kill → shown down in the browser: ${Date.now() - killedAt} ms`);
  // The live view says the same, next to its connections.
  await page.goto(`${clusterUrl}/live`);
  await expect(
    page
      .getByRole("table", { name: `Realservers of TCP ${VIP}:80` })
      .getByRole("row", { name: new RegExp(endpoint) }),
  ).toContainText("Down", { timeout: 5_000 });
  await page.goto(clusterUrl);
  // No new connection reaches it; it stays in the table (quiesced), existing ones may finish.
  expect(await answersFrom("clientdr", `http://${VIP}/`)).toEqual(["rs1", "rs3"]);
  expect(await weightOf(endpoint)).toBe(0);
  const health = await page.request.get(
    `${clusterUrl.replace(/\/clusters\/.*/, "")}/api/clusters/${clusterUrl.split("/").pop()}/health`,
  );
  const rs2 = (await health.json()).realservers.find(
    (r: { address: string }) => r.address === "10.10.0.12",
  );
  expect(rs2).toMatchObject({ state: "down", liveWeight: 0 });

  // It comes back.
  await labRun(`ip netns exec rs2 ${HTTPD_RS2}`);
  const toBack = await untilTrue(
    "rs2 back at weight 1",
    async () => (await weightOf(endpoint)) === 1,
    30_000,
  );
  console.log(`[lab] restart → weight 1 again: ${toBack} ms`);
  await expect(realservers.getByRole("row", { name: new RegExp(endpoint) })).toContainText("Up", {
    timeout: 5_000,
  });
  expect(await answersFrom("clientdr", `http://${VIP}/`)).toEqual(["rs1", "rs2", "rs3"]);

  // A weight change is a reload: the same keepalived process, the new weight in the table.
  await realservers.getByRole("button", { name: "Weight of 10.10.0.11:80: 1. Edit" }).click();
  const weight = realservers.getByRole("textbox", { name: "Weight of 10.10.0.11:80" });
  await weight.fill("3");
  await weight.press("Enter");
  await expect(
    realservers.getByRole("button", { name: "Weight of 10.10.0.11:80: 3. Edit" }),
  ).toBeVisible();
  expect(await planAndApply(["Check the new keepalived.conf with keepalived -t"])).toBe(
    "Apply succeeded",
  );
  expect(await keepalivedPid()).toBe(pid);
  expect(await weightOf("10.10.0.11:80")).toBe(3);
});

test("[LAB][KEEPALIVED] a drained removal, then deleting the service empties the table; back on ipvsadm, keepalived is stopped", async () => {
  test.setTimeout(10 * 60_000);
  await page.goto(clusterUrl);
  // Removing rs3 with "drain first": weight 0 through a reload, a capped wait, then the removal.
  const realservers = page.getByRole("table", { name: `Realservers of TCP ${VIP}:80` });
  await realservers.getByRole("button", { name: "Delete realserver 10.10.0.13:80" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await page.getByRole("button", { name: "Plan changes" }).click();
  const preview = page.getByRole("dialog", { name: /^(Plan preview|Appl)/ });
  await preview.getByLabel("Drain realservers before removing them").check();
  await expect(
    preview
      .getByText(
        `Wait until 10.10.0.13:80 in TCP ${VIP}:80 has no active connection (at most 30 s)`,
      )
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  const pid = await keepalivedPid();
  const apply = preview.getByRole("button", { name: "Apply", exact: true });
  await expect(apply).toBeEnabled({ timeout: 10_000 });
  await apply.click();
  await expect(preview.getByRole("status")).toHaveText("Apply succeeded", { timeout: 120_000 });
  await preview.getByRole("button", { name: "Close" }).click();
  expect(await weightOf("10.10.0.13:80")).toBeNull();
  expect(await keepalivedPid()).toBe(pid);
  expect(await answersFrom("clientdr", `http://${VIP}/`)).toEqual(["rs1", "rs2"]);

  await page.getByRole("button", { name: `Delete service TCP ${VIP}:80` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  expect(await planAndApply(["reload keepalived"])).toBe("Apply succeeded");
  expect(await labRun("ipvsadm -Ln")).not.toMatch(/^(TCP|UDP|FWM) /m);
  for (const rs of ["rs1", "rs2", "rs3"] as const) {
    expect((await execInRealserver(rs, "ip -o addr show")).stdout).not.toContain(VIP);
  }
  await page.getByRole("button", { name: "Change engine" }).click();
  const engine = page.getByRole("dialog", { name: "Change engine" });
  await engine.getByLabel("Engine").selectOption("ipvsadm");
  await engine.getByRole("button", { name: "Save" }).click();
  await expect(engine).toBeHidden();
  expect(await planAndApply(["Stop the panel's keepalived: ipvsadm owns the table again"])).toBe(
    "Apply succeeded",
  );
  expect(await keepalivedPid()).toBe("");
});

// The table of issue 16, as an operator wrote it by hand: NAT with a port remap and -p 60 -M,
// DR wrr 3/1/0, persistent DR 443, UDP 53 sh with flags, IPv6 mh, a mark service.
const HAND_MADE = readFileSync(
  path.resolve(import.meta.dirname, "../../shared/fixtures/ipvsadm/mixed-save.txt"),
  "utf8",
);
const OWN_VIP = "192.168.77.101";

test("[LAB][ADOPT] a cluster's apply leaves a hand-made table byte for byte alone and keeps it for boot", async () => {
  test.setTimeout(10 * 60_000);
  await labRun(`ipvsadm -C && printf '%s' '${HAND_MADE}' | ipvsadm-restore`);
  const before = (await labRun("ipvsadm -S -n")).trim().split("\n");
  expect(before.filter((l) => l.startsWith("-A"))).toHaveLength(7);

  await page.goto(clusterUrl);
  await page.getByRole("button", { name: "Add service" }).first().click();
  const service = page.getByRole("dialog");
  await service.getByLabel("VIP").fill(OWN_VIP);
  await service.getByLabel("Port", { exact: true }).fill("80");
  await service.getByLabel("Scheduler").selectOption("rr");
  await service.getByLabel("Forwarding").selectOption("dr");
  await service.getByRole("button", { name: "Save" }).click();
  await expect(service).toBeHidden();
  await page.getByRole("button", { name: "Add realserver" }).first().click();
  const form = page.getByRole("dialog");
  await form.getByLabel("Address").fill("10.10.0.11");
  await form.getByLabel("Port", { exact: true }).fill("80");
  await form.getByLabel("Managed host").selectOption({ label: "lab-rs1 (10.10.0.11)" });
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toBeHidden();

  const status = await planAndApply([
    "Not managed by this cluster: 7 services (left alone)",
    `-A -t ${OWN_VIP}:80 -s rr`,
  ]);
  expect(status).toBe("Apply succeeded");
  const after = (await labRun("ipvsadm -S -n")).trim().split("\n");
  for (const line of before) expect(after).toContain(line);
  expect(after).toContain(`-A -t ${OWN_VIP}:80 -s rr`);
  // /etc/ipvsadm.rules holds the whole table: a reboot brings the foreign services back too.
  const rules = await labRun("cat /etc/ipvsadm.rules");
  for (const line of before) expect(rules).toContain(line.replace(/ +$/, ""));
});

test("[LAB][ADOPT] import the hand-made table into a new cluster; its apply changes nothing in the table; a hand edit shows as drift and is adopted", async () => {
  test.setTimeout(10 * 60_000);
  const before = await labRun("ipvsadm -S -n");
  await page.goto("/clusters");
  await page.getByRole("button", { name: "Import from a director" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Import from a director" });
  await dialog.getByLabel("Director host").selectOption({ label: `lab-director (127.0.0.1)` });
  await dialog.getByLabel("Cluster name").fill("legacy");
  await dialog.getByLabel("DIP").fill(lab.director.dip);
  await dialog.getByLabel("Interface", { exact: true }).fill(lab.director.lanInterface);
  await dialog.getByLabel("Outward NIC for NAT VIPs").fill(lab.director.wanInterface);
  await dialog.getByRole("button", { name: "Read the director" }).click();
  // The cluster's own service is not offered: it belongs to lab-e2e.
  await expect(dialog.getByText(`it belongs to cluster "${CLUSTER}"`)).toBeVisible({
    timeout: 60_000,
  });
  await dialog.getByRole("button", { name: "Import 7 services" }).click();
  await expect(page).toHaveURL(/\/clusters\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { name: "legacy" })).toBeVisible();
  const legacyUrl = page.url();
  const legacyId = legacyUrl.split("/").pop() ?? "";

  // Its plan has nothing to change in the table (the VIPs and persistence are host steps).
  const plan = await (
    await page.request.post(`/api/clusters/${legacyId}/plan`, { data: {} })
  ).json();
  const tableSteps = plan.hosts
    .flatMap((h: { steps: { phase: string }[] }) => h.steps)
    .filter((s: { phase: string }) => s.phase.startsWith("director-"));
  expect(tableSteps).toEqual([]);
  clusterUrl = legacyUrl;
  const status = await planAndApply(["Not managed by this cluster: 1 service (left alone)"]);
  expect(status).toBe("Apply succeeded");
  expect(await labRun("ipvsadm -S -n")).toBe(before);

  // A weight changed by hand: drift within one interval of the background check (3 s here).
  await labRun("ipvsadm -e -t 10.10.0.200:80 -r 10.10.0.11:80 -g -w 7");
  const editedAt = Date.now();
  await page.goto("/clusters");
  const badge = page.getByLabel("Drift in legacy: changed outside the panel: 1 weight");
  await expect(async () => {
    await page.reload();
    await expect(badge).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  console.log(`[lab] hand edit → drift on the overview: ${Date.now() - editedAt} ms`);
  await page.goto(legacyUrl);
  const drift = page.getByRole("region", { name: "Drift" });
  await expect(drift).toContainText("Changed outside the panel: 1 weight");
  await expect(drift).toContainText("realserver 10.10.0.11:80 has weight 7, not 3");
  await drift.getByRole("button", { name: "Adopt these changes" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Adopt changes" }).click();
  await expect(drift).toBeHidden({ timeout: 30_000 });
  await expect(
    page
      .getByRole("table", { name: "Realservers of TCP 10.10.0.200:80" })
      .getByRole("button", { name: "Weight of 10.10.0.11:80: 7. Edit" }),
  ).toBeVisible();
  // Adopted: the next plan keeps the weight instead of undoing it.
  const again = await (
    await page.request.post(`/api/clusters/${legacyId}/plan`, { data: {} })
  ).json();
  expect(
    again.hosts
      .flatMap((h: { steps: { command: string }[] }) => h.steps)
      .map((s: { command: string }) => s.command)
      .join("\n"),
  ).not.toContain("-w 3");
  // Deleting the cluster leaves the director as it is; its services are no cluster's any more.
  expect((await page.request.delete(`/api/clusters/${legacyId}`)).status()).toBe(204);
  await labRun(
    "ipvsadm -C; for a in 192.168.77.100/32 192.168.77.101/32; do ip addr del $a dev wan0 2>/dev/null; done; for a in 10.10.0.200/32 192.168.77.101/32 fd00::200/128; do ip addr del $a dev lan0 2>/dev/null; done; true",
  );
});

test("[LAB][ADOPT] a director run by the operator's own keepalived: imported with its health checks, taken over by one reload of the same process", async () => {
  test.setTimeout(10 * 60_000);
  const conf = [
    "! Configuration File for keepalived",
    "global_defs {",
    "   router_id LVS_OPERATOR",
    "}",
    "",
    "virtual_server 10.10.0.200 80 {",
    "    delay_loop 6",
    "    lb_algo wrr",
    "    lb_kind DR",
    "    protocol TCP",
    "",
    "    real_server 10.10.0.11 80 {",
    "        weight 2",
    "        TCP_CHECK {",
    "            connect_timeout 3",
    "            retry 2",
    "            delay_before_retry 3",
    "        }",
    "    }",
    "    real_server 10.10.0.12 80 {",
    "        weight 1",
    "        TCP_CHECK {",
    "            connect_timeout 3",
    "            retry 2",
    "            delay_before_retry 3",
    "        }",
    "    }",
    "}",
    "",
  ].join("\n");
  await labRun(
    `ipvsadm -C && mkdir -p /etc/keepalived && printf '%s' '${conf}' > /etc/keepalived/keepalived.conf && keepalived -f /etc/keepalived/keepalived.conf -p /run/keepalived.pid`,
  );
  await untilTrue(
    "keepalived built its table",
    async () => (await weightOf("10.10.0.11:80")) === 2,
    30_000,
  );
  const pid = await keepalivedPid();
  const before = await labRun("ipvsadm -S -n");
  const hosts = await (await page.request.get("/api/hosts")).json();
  const hostId = hosts.find((h: { name: string }) => h.name === "lab-director").id;

  const preview = await (
    await page.request.post("/api/clusters/import/preview", { data: { hostId } })
  ).json();
  expect(preview.engine).toBe("keepalived");
  expect(preview.keepalivedConf).toEqual({ takenOver: true, blockers: [] });
  expect(preview.services).toEqual([
    expect.objectContaining({
      service: "TCP 10.10.0.200:80",
      healthCheck: "TCP connect every 6 s",
    }),
  ]);
  expect(preview.adjusted).not.toEqual([]); // delay_before_retry 3 becomes the interval
  const imported = await page.request.post("/api/clusters/import", {
    data: {
      name: "operator-keepalived",
      director: { hostId, dip: lab.director.dip, interface: lab.director.lanInterface },
    },
  });
  expect(imported.status(), await imported.text()).toBe(201);
  const cluster = (await imported.json()).cluster;
  expect(cluster.engine).toBe("keepalived");
  expect(cluster.services[0].healthCheck).toMatchObject({
    type: "tcp",
    intervalSeconds: 6,
    timeoutSeconds: 3,
    retries: 2,
  });

  // The panel's first apply: one checked reload of the operator's keepalived with the panel's
  // rendering of the same services; nothing else in the table changes.
  const plan = await (
    await page.request.post(`/api/clusters/${cluster.id}/plan`, { data: {} })
  ).json();
  const director = plan.hosts.find((h: { hostName: string }) => h.hostName === "lab-director");
  const descriptions = director.steps.map((s: { description: string }) => s.description).join("\n");
  expect(descriptions).toContain("reload keepalived");
  expect(
    director.steps.filter(
      (s: { phase: string; description: string }) =>
        s.phase.startsWith("director-") && !/keepalived/.test(s.description),
    ),
  ).toEqual([]);
  clusterUrl = `/clusters/${cluster.id}`;
  expect(await planAndApply(["reload keepalived"])).toBe("Apply succeeded");
  expect(await keepalivedPid()).toBe(pid);
  expect(await labRun("ipvsadm -S -n")).toBe(before);
  expect(await labRun("head -1 /etc/keepalived/keepalived.conf")).toContain(
    "Generated by lvs-panel",
  );
  await labRun(
    'p=$(cat /run/keepalived.pid 2>/dev/null) && kill "$p" 2>/dev/null; for i in $(seq 50); do pgrep -x keepalived >/dev/null || break; sleep 0.1; done; rm -f /etc/keepalived/keepalived.conf; ipvsadm -C; ip addr del 10.10.0.200/32 dev lan0 2>/dev/null; true',
  );
});
