// Drift on the cluster page, in real Chromium: the banner from GET /drift (summary and changes),
// adopting after a confirmation (then the cluster and its drift are read again), the way to the
// plan dialog, and nothing at all when the director is as the panel left it.
import { expect, test, vi } from "vitest";
import { page } from "vitest/browser";
import { clusterFixture, FIXTURE_AT } from "../../../test/clusterFixture.ts";
import { fakeApi } from "../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../test/render.tsx";
import { useClusterQuery } from "../../api/clusters.ts";
import type { Drift, Role } from "../../api/types.ts";
import { DriftBanner } from "./DriftBanner.tsx";

const AT = FIXTURE_AT;
const cluster = clusterFixture();

const drifted: Drift = {
  clusterId: "c1",
  status: "drift",
  reason: null,
  at: AT,
  summary: "changed outside the panel: 2 realservers, 1 weight",
  counts: { service: 0, realserver: 2, weight: 1, setting: 0 },
  changes: [
    {
      service: "TCP 10.0.0.100:80",
      kind: "realserver",
      change: "realserver 10.0.0.13:80 was added",
    },
    {
      service: "TCP 10.0.0.100:80",
      kind: "realserver",
      change: "realserver 10.0.0.12:80 was removed",
    },
    { service: "TCP 10.0.0.100:80", kind: "weight", change: "10.0.0.11:80 weight 1 → 5" },
  ],
};

const none: Drift = {
  ...drifted,
  status: "none",
  summary: "",
  changes: [],
  counts: { service: 0, realserver: 0, weight: 0, setting: 0 },
};

/** The cluster page's use of the banner: the cluster query beside it, as on the page. */
function Harness({ onUndo }: { onUndo: () => void }) {
  const query = useClusterQuery("c1");
  return query.data ? <DriftBanner cluster={query.data} onUndo={onUndo} /> : null;
}

function driftApi(role: Role, first: Drift) {
  let adopted = false;
  return fakeApi({
    "GET /api/auth/status": signedInAs(role),
    "GET /api/clusters/c1": { body: cluster },
    "GET /api/clusters/c1/drift": () => ({ body: adopted ? none : first }),
    "POST /api/clusters/c1/drift/adopt": () => {
      adopted = true;
      return { body: { cluster, adopted: drifted.changes } };
    },
  });
}

test("shows the summary and the changes; Adopt confirms, posts, and reads cluster and drift again", async () => {
  const api = driftApi("operator", drifted);
  await renderInApp(<Harness onUndo={() => {}} />);

  const banner = page.getByRole("region", { name: "Drift" });
  await expect
    .element(banner.getByText("Changed outside the panel: 2 realservers, 1 weight"))
    .toBeVisible();
  expect(
    banner
      .getByRole("list", { name: "Changes outside the panel" })
      .getByRole("listitem")
      .elements()
      .map((li) => li.textContent),
  ).toEqual([
    "TCP 10.0.0.100:80: realserver 10.0.0.13:80 was added",
    "TCP 10.0.0.100:80: realserver 10.0.0.12:80 was removed",
    "TCP 10.0.0.100:80: 10.0.0.11:80 weight 1 → 5",
  ]);

  await banner.getByRole("button", { name: "Adopt these changes" }).click();
  const confirm = page.getByRole("dialog", { name: "Adopt the changes made outside the panel?" });
  await expect.element(confirm).toHaveTextContent(/The 3 changes become edge's desired state/);
  expect(api.sent("POST", "/api/clusters/c1/drift/adopt")).toEqual([]);
  const clusterReads = api.sent("GET", "/api/clusters/c1").length;
  await confirm.getByRole("button", { name: "Adopt changes" }).click();

  await expect.element(page.getByRole("region", { name: "Drift" })).not.toBeInTheDocument();
  expect(api.sent("POST", "/api/clusters/c1/drift/adopt")).toHaveLength(1);
  expect(api.sent("GET", "/api/clusters/c1").length).toBeGreaterThan(clusterReads);
  expect(api.sent("GET", "/api/clusters/c1/drift").length).toBeGreaterThanOrEqual(2);
  expect(page.getByRole("dialog").query()).toBeNull();
});

test("Plan & apply to undo opens the plan dialog", async () => {
  driftApi("operator", drifted);
  const onUndo = vi.fn();
  await renderInApp(<Harness onUndo={onUndo} />);
  await page.getByRole("button", { name: "Plan & apply to undo" }).click();
  expect(onUndo).toHaveBeenCalledOnce();
});

test("a viewer sees the drift but no buttons", async () => {
  driftApi("viewer", drifted);
  await renderInApp(<Harness onUndo={() => {}} />);
  await expect.element(page.getByRole("region", { name: "Drift" })).toBeVisible();
  expect(page.getByRole("button", { name: "Adopt these changes" }).query()).toBeNull();
});

test("without drift nothing shows", async () => {
  const api = driftApi("operator", none);
  const { container } = await renderInApp(<Harness onUndo={() => {}} />);
  await vi.waitUntil(() => api.sent("GET", "/api/clusters/c1/drift").length > 0);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(container.textContent).toBe("");
});

test("unknown drift is one muted line with the reason", async () => {
  driftApi("operator", {
    ...none,
    status: "unknown",
    reason: "the director could not be read: timeout",
  });
  await renderInApp(<Harness onUndo={() => {}} />);
  await expect
    .element(page.getByText("Drift not checked: the director could not be read: timeout"))
    .toBeVisible();
  expect(page.getByRole("region", { name: "Drift" }).query()).toBeNull();
});
