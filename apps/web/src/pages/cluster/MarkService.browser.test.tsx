// A firewall-mark service on the cluster page, in real Chromium: it is named "FWM 7" (not a VIP
// and port) in its card, its buttons and its realserver table; a TCP service keeps its name.
import { expect, test } from "vitest";
import { page } from "vitest/browser";
import { fakeApi } from "../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../test/render.tsx";
import type { Service } from "../../api/types.ts";
import { ServiceCard } from "./ServiceCard.tsx";

const AT = "2026-01-01T12:00:00.000Z";

function service(fwmark: number | null): Service {
  return {
    id: "svc-1",
    clusterId: "c1",
    protocol: "tcp",
    vip: fwmark === null ? "192.0.2.10" : "0.0.0.0",
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
  fakeApi({ "GET /api/auth/status": signedInAs("operator") });
  await renderInApp(<ServiceCard service={service(7)} />);
  const card = page.getByRole("region", { name: "Service FWM 7" });
  await expect.element(card.getByRole("heading")).toHaveTextContent("FWM7");
  await expect.element(card.getByRole("button", { name: "Edit service FWM 7" })).toBeVisible();
  await expect.element(card.getByRole("table", { name: "Realservers of FWM 7" })).toBeVisible();
  expect(card.element().textContent).not.toMatch(/0\.0\.0\.0/);
});

test("a TCP service keeps its protocol, VIP and port", async () => {
  fakeApi({ "GET /api/auth/status": signedInAs("operator") });
  await renderInApp(<ServiceCard service={service(null)} />);
  const card = page.getByRole("region", { name: "Service TCP 192.0.2.10:80" });
  await expect.element(card.getByRole("heading")).toHaveTextContent("TCP192.0.2.10:80");
  await expect
    .element(card.getByRole("table", { name: "Realservers of TCP 192.0.2.10:80" }))
    .toBeVisible();
});
