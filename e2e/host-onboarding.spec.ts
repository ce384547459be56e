// [HOSTS] Adding a host is a guided flow: Save → the key's fingerprint (with the command that
// prints it on the host) → Trust → Test login, which lists in plain words what works and what is
// missing; addresses that are neither an IP nor a DNS name are refused; a new host reuses a stored
// login ("Same credentials as"); a cut handshake suggests a jump host; the realserver dialog fills
// Address from the chosen host and the row names it; the director fields offer the host's
// interfaces, read over SSH; deleting a host realservers are linked to names them and asks first.
// The hosts are real OpenSSH sshds on loopback, started by this file (one without ipvsadm and
// keepalived), reached by the real server the config starts.
import { rm } from "node:fs/promises";
import net from "node:net";
import { expect, type Page, test } from "@playwright/test";
import {
  type ClientKeys,
  ensureTestUser,
  makeClientKeys,
  type Sshd,
  startSshd,
} from "../packages/remote/test/sshd.ts";
import { E2E_ADMIN_PASSWORD } from "./playwright.config.ts";

let keys: ClientKeys;
let sshd: Sshd;
/** A host without ipvsadm and keepalived. */
let bare: Sshd;
/** Accepts TCP, then resets it: what a firewall in front of an unreachable host looks like. */
let cutter: net.Server;
let cutterPort = 0;
const cutSockets = new Set<net.Socket>();
/** An unprivileged user with no sudo rule (never granted by this file). */
const PLAIN_USER = "lvsonboard";
let plainPassword = "";

test.beforeAll(async () => {
  keys = await makeClientKeys();
  plainPassword = await ensureTestUser(PLAIN_USER);
  [sshd, bare] = await Promise.all([
    startSshd({ authorizedKeys: keys.authorizedKeys }),
    startSshd({ authorizedKeys: keys.authorizedKeys, hideTools: ["ipvsadm", "keepalived"] }),
  ]);
  cutter = net.createServer((socket) => {
    cutSockets.add(socket);
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => cutter.listen(0, "127.0.0.1", resolve));
  cutterPort = (cutter.address() as net.AddressInfo).port;
});

test.afterAll(async () => {
  for (const socket of cutSockets) socket.destroy();
  await new Promise((resolve) => cutter?.close(resolve));
  await Promise.all([sshd?.stop(), bare?.stop()]);
  if (keys) await rm(keys.dir, { recursive: true, force: true });
});

async function logIn(page: Page) {
  await page.goto("/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

const unique = (prefix: string) => `${prefix}-${Date.now() % 1_000_000}`;

async function apiPost(page: Page, url: string, data: unknown) {
  const res = await page.request.post(url, { data });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** A host added and trusted through the API, for the tests about what comes after. */
async function trustedHost(page: Page, server: Sshd, name: string, extra: object = {}) {
  const host = await apiPost(page, "/api/hosts", {
    name,
    address: "127.0.0.1",
    port: server.port,
    auth: { type: "key", privateKey: keys.ed25519 },
    ...extra,
  });
  const trust = await page.request.post(`/api/hosts/${host.id}/trust`, {
    data: { fingerprint: server.fingerprint },
  });
  expect(trust.status(), await trust.text()).toBe(200);
  return host as { id: string; name: string };
}

async function openAddHost(page: Page) {
  await page.goto("/hosts");
  await page.getByRole("button", { name: "Add host" }).first().click();
  return page.getByRole("dialog", { name: "Add host" });
}

test("[HOSTS][ADD] save leads to the fingerprint, trust, and Test login with every check in plain words", async ({
  page,
}) => {
  await logIn(page);
  const name = unique("director");
  const dialog = await openAddHost(page);
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Address").fill("127.0.0.1");
  await dialog.getByLabel("Port").fill(String(sshd.port));
  await dialog.getByLabel("Private key").fill(keys.ed25519);
  await dialog.getByRole("button", { name: "Save" }).click();

  const setup = page.getByRole("dialog", { name: `Set up ${name}` });
  await expect(setup.getByText(sshd.fingerprint, { exact: true })).toBeVisible();
  await expect(setup.getByText("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub")).toBeVisible();
  // Nothing to test before the key is trusted.
  await expect(setup.getByText("Trust the host key first.")).toBeVisible();
  await expect(setup.getByRole("button", { name: "Test login" })).toHaveCount(0);
  await setup.getByRole("button", { name: "Trust this key" }).click();
  await expect(setup.getByText("Trusted: the panel only connects to this key.")).toBeVisible();

  await setup.getByRole("button", { name: "Test login" }).click();
  const result = setup.getByRole("region", { name: "Test login result" });
  await expect(result.getByRole("status")).toHaveText(
    "Ready: the panel can log in and has what it needs here.",
  );
  await expect(result.getByRole("listitem")).toHaveText([
    "Passed: Logged in as root.",
    /^Passed: ipvsadm is installed \(.*ipvsadm\)\.$/,
    /^Passed: ip is installed/,
    /^Passed: sysctl is installed/,
    /^Passed: sha256sum is installed/,
    /^Passed: keepalived is installed/,
  ]);
  await expect(result).toContainText(
    "Checked as not a director or realserver yet: checked what a director needs (keepalived optional).",
  );
  await setup.getByRole("button", { name: "Done" }).click();
  await expect(setup).toBeHidden();

  const hosts = await (await page.request.get("/api/hosts")).json();
  expect(hosts.find((h: { name: string }) => h.name === name)?.hostKeySha256).toBe(
    sshd.fingerprint,
  );
});

test("[HOSTS][TEST_LOGIN] a missing tool and a user without sudo are named, with what to do", async ({
  page,
}) => {
  await logIn(page);
  const bareHost = await trustedHost(page, bare, unique("bare"));
  await page.goto("/hosts");
  await page.getByRole("button", { name: `Test login to ${bareHost.name}` }).click();
  let setup = page.getByRole("dialog", { name: `Set up ${bareHost.name}` });
  await expect(setup.getByText("Matches the pinned key.")).toBeVisible();
  await setup.getByRole("button", { name: "Test login" }).click();
  let result = setup.getByRole("region", { name: "Test login result" });
  await expect(result.getByRole("status")).toHaveText(
    "Not ready: fix what is marked and test again.",
  );
  await expect(result).toContainText(
    "Failed: ipvsadm is not installed (Debian: apt-get install ipvsadm): needed for the director's IPVS table.",
  );
  await expect(result).toContainText(
    "Optional: keepalived is not installed (Debian: apt-get install keepalived): needed for health checks on the keepalived engine; needed only on a director of a keepalived cluster.",
  );
  await setup.getByRole("button", { name: "Close" }).click();

  const userHost = await trustedHost(page, sshd, unique("plain"), {
    username: PLAIN_USER,
    auth: { type: "password", password: plainPassword },
  });
  await page.reload();
  await page.getByRole("button", { name: `Test login to ${userHost.name}` }).click();
  setup = page.getByRole("dialog", { name: `Set up ${userHost.name}` });
  await setup.getByRole("button", { name: "Test login" }).click();
  result = setup.getByRole("region", { name: "Test login result" });
  await expect(result).toContainText(`Passed: Logged in as ${PLAIN_USER} (not root).`);
  await expect(result).toContainText(
    `Failed: ${PLAIN_USER} cannot use sudo without a password (a password is required). The panel runs every command through sudo -n: add "${PLAIN_USER} ALL=(root) NOPASSWD: ALL" to /etc/sudoers.d/lvs-panel, or log in as root.`,
  );
});

test("[HOSTS][ADDRESS] 999.1.1.1 is refused next to the field, by the form and by the API", async ({
  page,
}) => {
  await logIn(page);
  const dialog = await openAddHost(page);
  await dialog.getByLabel("Name", { exact: true }).fill(unique("typo"));
  await dialog.getByLabel("Address").fill("999.1.1.1");
  await dialog.getByLabel("Private key").fill(keys.ed25519);
  await dialog.getByRole("button", { name: "Save" }).click();
  const address = dialog.getByRole("textbox", { name: "Address" });
  await expect(address).toHaveAttribute("aria-invalid", "true");
  await expect(address).toHaveAccessibleDescription(
    "is not a valid IPv4 address (four numbers from 0 to 255, like 192.0.2.10)",
  );
  await expect(dialog).toBeVisible();

  const res = await page.request.post("/api/hosts", {
    data: { name: "typo", address: "999.1.1.1", auth: { type: "password", password: "x" } },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).fields.address).toBe(
    "is not a valid IPv4 address (four numbers from 0 to 255, like 192.0.2.10)",
  );
});

test("[HOSTS][REUSE] a new host with the same credentials as the director: no key pasted, the login works", async ({
  page,
}) => {
  await logIn(page);
  const director = await trustedHost(page, sshd, unique("lb"));
  const name = unique("rs");
  const dialog = await openAddHost(page);
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Address").fill("127.0.0.1");
  await dialog.getByLabel("Port").fill(String(sshd.port));
  await dialog
    .getByLabel("Credentials")
    .selectOption({ label: `Same credentials as ${director.name}` });
  // The key is not asked for, nor shown.
  await expect(dialog.getByLabel("Private key")).toHaveCount(0);
  await expect(dialog.getByRole("combobox", { name: "Credentials" })).toHaveAccessibleDescription(
    `Logs in as root with ${director.name}'s stored private key; it is copied on the server and never shown.`,
  );
  await dialog.getByRole("button", { name: "Save" }).click();

  const setup = page.getByRole("dialog", { name: `Set up ${name}` });
  await setup.getByRole("button", { name: "Trust this key" }).click();
  await setup.getByRole("button", { name: "Test login" }).click();
  await expect(
    setup.getByRole("region", { name: "Test login result" }).getByRole("status"),
  ).toHaveText("Ready: the panel can log in and has what it needs here.");

  const hosts = await (await page.request.get("/api/hosts")).json();
  const saved = hosts.find((h: { name: string }) => h.name === name);
  expect(saved).toMatchObject({ username: "root", authType: "key", hasSecret: true });
  expect(JSON.stringify(hosts)).not.toContain("PRIVATE KEY");
});

test("[HOSTS][CUT] a handshake cut at the first contact suggests a jump host", async ({ page }) => {
  await logIn(page);
  const name = unique("hidden");
  const dialog = await openAddHost(page);
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Address").fill("127.0.0.1");
  await dialog.getByLabel("Port").fill(String(cutterPort));
  await dialog.getByLabel("Private key").fill(keys.ed25519);
  await dialog.getByRole("button", { name: "Save" }).click();

  const setup = page.getByRole("dialog", { name: `Set up ${name}` });
  await expect(setup.getByRole("alert")).toContainText(
    "the connection was cut during the SSH handshake. If this host is only reachable through another machine, set a jump host.",
  );
  await expect(setup.getByRole("button", { name: "Try again" })).toBeVisible();
});

async function clusterWithService(page: Page, name: string) {
  const cluster = await apiPost(page, "/api/clusters", { name });
  const service = await apiPost(page, `/api/clusters/${cluster.id}/services`, {
    protocol: "tcp",
    vip: "192.168.77.100",
    port: 80,
    scheduler: "rr",
    forwarding: "nat",
  });
  return { cluster, service };
}

test("[REALSERVER] choosing a managed host fills Address; the row names the host", async ({
  page,
}) => {
  await logIn(page);
  const hostName = unique("web");
  await apiPost(page, "/api/hosts", {
    name: hostName,
    address: "10.0.0.21",
    auth: { type: "password", password: "not-used" },
  });
  const { cluster } = await clusterWithService(page, unique("shop"));
  await page.goto(`/clusters/${cluster.id}`);
  await page.getByRole("button", { name: "Add realserver" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add realserver" });
  await dialog.getByLabel("Managed host").selectOption({ label: `${hostName} (10.0.0.21)` });
  const address = dialog.getByRole("textbox", { name: "Address" });
  await expect(address).toHaveValue("10.0.0.21");
  // Still editable: the address the director sends to may differ from the SSH address.
  await address.fill("10.0.0.22");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  const row = page
    .getByRole("table", { name: "Realservers of TCP 192.168.77.100:80" })
    .getByRole("row", { name: /10\.0\.0\.22:80/ });
  await expect(row).toContainText(`Host: ${hostName}`);
  const saved = await (await page.request.get(`/api/clusters/${cluster.id}`)).json();
  expect(saved.services[0].realservers[0]).toMatchObject({ address: "10.0.0.22" });
});

test("[DIRECTOR] the director's interfaces and addresses are read over SSH and fill Interface and DIP", async ({
  page,
}) => {
  await logIn(page);
  const host = await trustedHost(page, sshd, unique("lbif"));
  const interfaces = await (await page.request.get(`/api/hosts/${host.id}/interfaces`)).json();
  const nic = (
    interfaces as {
      name: string;
      addresses: { address: string; prefix: number; family: number }[];
    }[]
  )
    // eth0 where there is one: other tests' sandbox links come and go on this machine.
    .sort((a, b) => Number(b.name === "eth0") - Number(a.name === "eth0"))
    .find((i) => i.name !== "lo" && i.addresses.some((a) => a.family === 4));
  expect(nic, JSON.stringify(interfaces)).toBeDefined();
  const address = nic?.addresses.find((a) => a.family === 4);

  await page.goto("/clusters");
  await page.getByRole("button", { name: "Import from a director" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Import from a director" });
  const iface = dialog.getByRole("textbox", { name: "Interface", exact: true });
  await expect(iface).toHaveValue("");
  await dialog.getByLabel("Director host").selectOption({ label: `${host.name} (127.0.0.1)` });
  const offered = dialog.getByRole("group", { name: /Interfaces on this host/ });
  await offered
    .getByRole("button", { name: `${nic?.name} ${address?.address}/${address?.prefix}` })
    .click();
  await expect(iface).toHaveValue(nic?.name ?? "");
  await expect(dialog.getByRole("textbox", { name: "DIP" })).toHaveValue(address?.address ?? "");
  await iface.fill("nosuch0");
  await expect(iface).toHaveAccessibleDescription(/^not an interface of this host \(it has /);
});

test("[HOSTS][DELETE] deleting a host realservers are linked to names them and asks first", async ({
  page,
}) => {
  await logIn(page);
  const hostName = unique("web1");
  const host = await apiPost(page, "/api/hosts", {
    name: hostName,
    address: "10.0.0.11",
    auth: { type: "password", password: "not-used" },
  });
  const clusterName = unique("shop");
  const { service } = await clusterWithService(page, clusterName);
  const rs = await apiPost(page, `/api/services/${service.id}/realservers`, {
    address: "10.0.0.11",
    port: 80,
    hostId: host.id,
  });

  // A script's plain DELETE is refused, naming them.
  const plain = await page.request.delete(`/api/hosts/${host.id}`);
  expect(plain.status()).toBe(409);
  expect((await plain.json()).message).toBe(
    `host "${hostName}" is linked to realserver 10.0.0.11:80 in cluster "${clusterName}"; delete it with force=true to unlink them`,
  );

  await page.goto("/hosts");
  await page.getByRole("button", { name: `Delete host ${hostName}` }).click();
  const dialog = page.getByRole("dialog", { name: `Delete host “${hostName}”?` });
  await expect(dialog.getByRole("list", { name: "Linked realservers" })).toHaveText(
    `10.0.0.11:80 in cluster “${clusterName}”`,
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect((await page.request.get(`/api/hosts/${host.id}`)).status()).toBe(200);

  await page.getByRole("button", { name: `Delete host ${hostName}` }).click();
  await dialog.getByRole("button", { name: "Unlink and delete" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(hostName)).toHaveCount(0);
  expect((await page.request.get(`/api/hosts/${host.id}`)).status()).toBe(404);
  const cluster = await (await page.request.get(`/api/clusters/${service.clusterId}`)).json();
  expect(cluster.services[0].realservers[0]).toMatchObject({ id: rs.id, hostId: null });
});
