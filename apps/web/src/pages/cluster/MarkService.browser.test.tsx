// A firewall-mark service on the cluster page, in real Chromium: it is named "FWM 7" (not a VIP
// and port) in its card, its buttons and its realserver table; a TCP service keeps its name. The
// service dialog matches by protocol, VIP and port or by a mark (port 0 and the mark sent), and
// an edited mark service opens on its mark.
import { describe, expect, test } from "vitest";
import { page } from "vitest/browser";
import { nothingPending } from "../../../test/clusterFixture.ts";
import { apiError, fakeApi } from "../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../test/render.tsx";
import type { Service } from "../../api/types.ts";
import { ServiceCard } from "./ServiceCard.tsx";
import { ServiceDialog } from "./ServiceDialog.tsx";

const AT = "2026-01-01T12:00:00.000Z";

function service(fwmark: number | null, markedVip = "0.0.0.0"): Service {
  return {
    id: "svc-1",
    clusterId: "c1",
    protocol: "tcp",
    vip: fwmark === null ? "192.0.2.10" : markedVip,
    port: fwmark === null ? 80 : 0,
    fwmark,
    scheduler: "rr",
    schedulerFlags: [],
    persistence: null,
    persistenceNetmask: null,
    forwarding: "dr",
    healthCheck: { type: "tcp", intervalSeconds: 5, timeoutSeconds: 3, retries: 2 },
    onFailure: "quiesce",
    sorryServer: null,
    createdAt: AT,
    updatedAt: AT,
    realservers: [
      {
        id: "rs-1",
        serviceId: "svc-1",
        address: "10.0.0.11",
        port: fwmark === null ? 80 : 0,
        weight: 1,
        enabled: true,
        draining: false,
        upperThreshold: 0,
        lowerThreshold: 0,
        checkPort: null,
        hostId: null,
        createdAt: AT,
        updatedAt: AT,
      },
    ],
  };
}

test("a mark service reads FWM 7 in its card, buttons and realserver table", async () => {
  fakeApi({ "GET /api/auth/status": signedInAs("operator"), ...nothingPending() });
  await renderInApp(<ServiceCard service={service(7)} />);
  const card = page.getByRole("region", { name: "Service FWM 7" });
  await expect.element(card.getByRole("heading")).toHaveTextContent("FWM7");
  await expect.element(card.getByRole("button", { name: "Edit service FWM 7" })).toBeVisible();
  await expect.element(card.getByRole("table", { name: "Realservers of FWM 7" })).toBeVisible();
  expect(card.element().textContent).not.toMatch(/0\.0\.0\.0/);
});

test("a TCP service keeps its protocol, VIP and port", async () => {
  fakeApi({ "GET /api/auth/status": signedInAs("operator"), ...nothingPending() });
  await renderInApp(<ServiceCard service={service(null)} />);
  const card = page.getByRole("region", { name: "Service TCP 192.0.2.10:80" });
  await expect.element(card.getByRole("heading")).toHaveTextContent("TCP192.0.2.10:80");
  await expect
    .element(card.getByRole("table", { name: "Realservers of TCP 192.0.2.10:80" }))
    .toBeVisible();
});

test("a mark service with a VIP shows the address its mark covers", async () => {
  fakeApi({ "GET /api/auth/status": signedInAs("operator"), ...nothingPending() });
  await renderInApp(<ServiceCard service={service(7, "192.0.2.20")} />);
  const card = page.getByRole("region", { name: "Service FWM 7" });
  await expect.element(card.getByText("192.0.2.20", { exact: true })).toBeVisible();
});

describe("the service dialog", () => {
  const CREATED = { body: service(null) };
  const addDialog = () => page.getByRole("dialog", { name: "Add service" });

  test("offers TCP, UDP and SCTP, and NAT, DR and TUN", async () => {
    fakeApi({ "GET /api/auth/status": signedInAs("operator"), ...nothingPending() });
    await renderInApp(<ServiceDialog clusterId="c1" onClose={() => {}} />);
    const dialog = addDialog();
    const texts = (label: string) =>
      [...(dialog.getByLabelText(label).element() as HTMLSelectElement).options].map((o) => o.text);
    expect(texts("Protocol")).toEqual(["TCP", "UDP", "SCTP"]);
    expect(texts("Forwarding")).toEqual([
      "NAT (masquerading)",
      "DR (direct routing)",
      "TUN (IP-in-IP tunnel)",
    ]);
    expect(texts("Match by")).toEqual(["Protocol, VIP and port", "Firewall mark"]);
    await dialog.getByLabelText("Forwarding").selectOptions("tun");
    await expect
      .element(dialog.getByLabelText("Forwarding"))
      .toHaveAccessibleDescription(/IP-in-IP tunnel \(IPv4\)/);
  });

  test("by firewall mark: the mark replaces Port and Protocol, and port 0 and the mark are sent", async () => {
    const api = fakeApi({
      "GET /api/auth/status": signedInAs("operator"),
      "POST /api/clusters/c1/services": CREATED,
    });
    let closed = false;
    await renderInApp(<ServiceDialog clusterId="c1" onClose={() => (closed = true)} />);
    const dialog = addDialog();
    await dialog.getByLabelText("Port").fill("80");
    await dialog.getByLabelText("Protocol").selectOptions("sctp");

    await dialog.getByLabelText("Match by").selectOptions("Firewall mark");
    await expect.element(dialog.getByLabelText("Firewall mark")).toBeVisible();
    expect(dialog.getByLabelText("Port").query()).toBeNull();
    expect(dialog.getByLabelText("Protocol").query()).toBeNull();
    await expect
      .element(dialog.getByLabelText("Match by"))
      .toHaveAccessibleDescription(
        "Packets marked by iptables/nftables (-j MARK --set-mark N); the VIP is the address the mark covers, placed on the director and, for DR/TUN, on the realservers.",
      );

    // No mark yet: refused next to the mark, not as port 0 on the hidden port.
    await dialog.getByLabelText("VIP").fill("192.0.2.20");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect
      .element(dialog.getByLabelText("Firewall mark"))
      .toHaveAccessibleDescription("must be a whole number from 1 to 4294967295");
    await dialog.getByLabelText("Firewall mark").fill("4294967296");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect
      .element(dialog.getByLabelText("Firewall mark"))
      .toHaveAccessibleDescription("must be from 1 to 4294967295");
    expect(api.sent("POST", "/api/clusters/c1/services")).toEqual([]);

    await dialog.getByLabelText("Firewall mark").fill("7");
    await dialog.getByLabelText("Forwarding").selectOptions("tun");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => closed).toBe(true);
    expect(api.sent("POST", "/api/clusters/c1/services").map((r) => r.body)).toEqual([
      {
        protocol: "tcp",
        vip: "192.0.2.20",
        port: 0,
        fwmark: 7,
        scheduler: "wlc",
        schedulerFlags: [],
        persistence: null,
        persistenceNetmask: null,
        forwarding: "tun",
      },
    ]);
  });

  test("the API's words land on the mark; one about the hidden port shows above the form", async () => {
    let reply = apiError(400, "VALIDATION", "invalid service", { fwmark: "is taken by FWM 7" });
    fakeApi({
      "GET /api/auth/status": signedInAs("operator"),
      "POST /api/clusters/c1/services": () => reply,
    });
    await renderInApp(<ServiceDialog clusterId="c1" onClose={() => {}} />);
    const dialog = addDialog();
    await dialog.getByLabelText("Match by").selectOptions("fwmark");
    await dialog.getByLabelText("Firewall mark").fill("7");
    await dialog.getByLabelText("VIP").fill("192.0.2.20");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect
      .element(dialog.getByLabelText("Firewall mark"))
      .toHaveAccessibleDescription("is taken by FWM 7");

    reply = apiError(400, "VALIDATION", "invalid service", { port: "must be 0" });
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.element(dialog.getByRole("alert")).toHaveTextContent("invalid service");
  });

  test("an edited mark service opens on its mark, and keeps it", async () => {
    const api = fakeApi({
      "GET /api/auth/status": signedInAs("operator"),
      ...nothingPending(),
      "PATCH /api/services/svc-1": { body: service(7, "192.0.2.20") },
    });
    await renderInApp(<ServiceCard service={service(7, "192.0.2.20")} />);
    await page.getByRole("button", { name: "Edit service FWM 7" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit service" });
    await expect.element(dialog.getByLabelText("Match by")).toHaveValue("fwmark");
    await expect.element(dialog.getByLabelText("Firewall mark")).toHaveValue("7");
    await expect.element(dialog.getByLabelText("VIP")).toHaveValue("192.0.2.20");
    expect(dialog.getByLabelText("Port").query()).toBeNull();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    expect(api.sent("PATCH", "/api/services/svc-1").map((r) => r.body)).toEqual([
      expect.objectContaining({ protocol: "tcp", vip: "192.0.2.20", port: 0, fwmark: 7 }),
    ]);
  });

  test("switching an edited mark service to a port sends no mark", async () => {
    const api = fakeApi({
      "GET /api/auth/status": signedInAs("operator"),
      ...nothingPending(),
      "PATCH /api/services/svc-1": { body: service(null) },
    });
    await renderInApp(<ServiceCard service={service(7, "192.0.2.20")} />);
    await page.getByRole("button", { name: "Edit service FWM 7" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit service" });
    await dialog.getByLabelText("Match by").selectOptions("port");
    // The mark service's port 0 is not offered as the port.
    await expect.element(dialog.getByLabelText("Port")).toHaveValue("");
    await dialog.getByLabelText("Port").fill("443");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    expect(api.sent("PATCH", "/api/services/svc-1").map((r) => r.body)).toEqual([
      expect.objectContaining({ protocol: "tcp", port: 443, fwmark: null }),
    ]);
  });
});
