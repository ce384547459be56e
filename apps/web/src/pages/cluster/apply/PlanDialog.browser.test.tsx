// The plan dialog in real Chromium, on a director with services this cluster does not own: they
// are listed as left alone (with their owner), and the "remove" checkbox re-plans with
// removeForeign, shows what goes in red, and makes Apply send removeForeign with that plan's hash.
import { expect, onTestFinished, test, vi } from "vitest";
import { page } from "vitest/browser";
import { type ApiRequest, fakeApi } from "../../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../../test/render.tsx";
import type { Apply, Plan } from "../../../api/types.ts";
import { PlanDialog } from "./PlanDialog.tsx";

const AT = "2026-01-01T12:00:00.000Z";
const OWNED_ELSEWHERE = { service: "TCP 10.10.0.220:80", owner: "web" };

function plan(removeForeign: boolean): Plan {
  return {
    clusterId: "c1",
    hash: removeForeign ? "hash-takeover" : "hash-plain",
    empty: false,
    summary: {
      servicesAdded: ["TCP 10.10.0.200:80"],
      servicesChanged: [],
      servicesRemoved: [],
      forwardingSwitches: [],
      notManaged: removeForeign
        ? [OWNED_ELSEWHERE]
        : [
            { service: "TCP 10.10.0.210:80", owner: null },
            { service: "FWM 7", owner: null },
            OWNED_ELSEWHERE,
          ],
      foreignRemoved: removeForeign ? ["TCP 10.10.0.210:80", "FWM 7"] : [],
      lines: [
        ...(removeForeign
          ? ["remove 2 services this cluster does not manage: TCP 10.10.0.210:80, FWM 7"]
          : []),
        "add service TCP 10.10.0.200:80",
        ...(removeForeign ? [] : ["not managed by this cluster: 2 services (left alone)"]),
        'cluster "web" manages 1 more service on this director (left alone)',
      ],
    },
    warnings: [],
    errors: [],
    hosts: [],
    readErrors: [],
    unreachable: [],
  };
}

const applied: Apply = {
  id: "a1",
  clusterId: "c1",
  status: "succeeded",
  user: "operator",
  startedAt: AT,
  finishedAt: AT,
  error: null,
  summary: plan(true).summary,
  hosts: [],
  events: [],
};

function planApi() {
  // The apply's event feed is not fetch: without EventSource the dialog polls the apply instead.
  vi.stubGlobal("EventSource", undefined);
  onTestFinished(() => {
    vi.unstubAllGlobals();
  });
  return fakeApi({
    "GET /api/auth/status": signedInAs("operator"),
    "POST /api/clusters/c1/plan": (request: ApiRequest) => ({
      body: plan((request.body as { removeForeign?: boolean }).removeForeign === true),
    }),
    "POST /api/clusters/c1/apply": { status: 202, body: { applyId: "a1" } },
    "GET /api/applies/a1": { body: applied },
    "GET /api/clusters/c1/applies": { body: [applied] },
  });
}

const removeBox = () =>
  page.getByRole("checkbox", { name: "Remove the 2 services this cluster does not manage" });

test("lists what the plan leaves alone, with each owner; the remove box starts unticked", async () => {
  planApi();
  await renderInApp(<PlanDialog clusterId="c1" onClose={() => {}} />);

  const notManaged = page.getByRole("region", {
    name: "Not managed by this cluster: 3 services (left alone)",
  });
  await expect.element(notManaged).toBeVisible();
  await expect
    .element(notManaged)
    .toHaveTextContent(/TCP 10\.10\.0\.210:80no cluster of the panel/);
  await expect.element(notManaged).toHaveTextContent(/FWM 7no cluster of the panel/);
  await expect.element(notManaged).toHaveTextContent(/TCP 10\.10\.0\.220:80cluster “web”/);
  await expect.element(removeBox()).not.toBeChecked();
  expect(page.getByRole("region", { name: /^Removed:/ }).query()).toBeNull();
});

test("ticking the box re-plans with removeForeign, shows the removals, and Apply sends it", async () => {
  const api = planApi();
  await renderInApp(<PlanDialog clusterId="c1" onClose={() => {}} />);

  await removeBox().click();
  const removed = page.getByRole("region", {
    name: "Removed: 2 services this cluster does not manage",
  });
  await expect.element(removed).toBeVisible();
  expect(
    removed
      .getByRole("listitem")
      .elements()
      .map((li) => li.textContent),
  ).toEqual(["Remove TCP 10.10.0.210:80", "Remove FWM 7"]);
  await expect.element(removed.getByRole("list")).toHaveClass(/text-red-800/);
  await expect
    .element(page.getByRole("region", { name: /^Not managed by this cluster: 1 service/ }))
    .toBeVisible();
  await expect.element(removeBox()).toBeChecked();
  expect(api.sent("POST", "/api/clusters/c1/plan").map((r) => r.body)).toEqual([
    {},
    { removeForeign: true },
  ]);

  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await vi.waitUntil(() => api.sent("POST", "/api/clusters/c1/apply").length === 1);
  expect(api.sent("POST", "/api/clusters/c1/apply")[0]?.body).toEqual({
    planHash: "hash-takeover",
    drain: false,
    removeForeign: true,
  });
});

test("unticking re-plans without removeForeign, and Apply then leaves them alone", async () => {
  const api = planApi();
  await renderInApp(<PlanDialog clusterId="c1" onClose={() => {}} />);

  await removeBox().click();
  await expect.element(removeBox()).toBeChecked();
  await expect.element(page.getByRole("region", { name: /^Removed:/ })).toBeVisible();
  await removeBox().click();
  await expect.element(removeBox()).not.toBeChecked();
  await expect
    .element(page.getByRole("region", { name: /^Not managed by this cluster: 3 services/ }))
    .toBeVisible();
  expect(page.getByRole("region", { name: /^Removed:/ }).query()).toBeNull();
  expect(api.sent("POST", "/api/clusters/c1/plan").map((r) => r.body)).toEqual([
    {},
    { removeForeign: true },
    {},
  ]);

  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await vi.waitUntil(() => api.sent("POST", "/api/clusters/c1/apply").length === 1);
  expect(api.sent("POST", "/api/clusters/c1/apply")[0]?.body).toEqual({
    planHash: "hash-plain",
    drain: false,
  });
});
