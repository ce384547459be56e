// Importing services into an existing cluster from its director, in real Chromium: the preview of
// the cluster's director host, the services ticked, the request, and an engine that does not fit.
import { expect, test, vi } from "vitest";
import { page } from "vitest/browser";
import { clusterFixture, FIXTURE_AT } from "../../../test/clusterFixture.ts";
import { fakeApi } from "../../../test/fakeApi.ts";
import { renderInApp, signedInAs } from "../../../test/render.tsx";
import { useClusterQuery } from "../../api/clusters.ts";
import type { ImportPreview } from "../../api/types.ts";
import { DirectorSection } from "../cluster/DirectorSection.tsx";

const _AT = FIXTURE_AT;
const cluster = clusterFixture();

const preview: ImportPreview = {
  engine: "ipvsadm",
  services: [
    {
      service: "TCP 10.0.0.210:80",
      scheduler: "wrr",
      forwarding: "dr",
      realservers: 2,
      healthCheck: null,
    },
    { service: "FWM 7", scheduler: "rr", forwarding: "nat", realservers: 1, healthCheck: null },
  ],
  refused: [{ service: "TCP 10.0.0.100:80", reason: "it is already in this cluster" }],
  adjusted: [],
  keepalivedConf: null,
};

function Harness() {
  const query = useClusterQuery("c1");
  return query.data ? <DirectorSection cluster={query.data} /> : null;
}

function importApi(body: ImportPreview = preview) {
  return fakeApi({
    "GET /api/auth/status": signedInAs("operator"),
    "GET /api/clusters/c1": { body: cluster },
    "POST /api/clusters/import/preview": { body },
    "POST /api/clusters/c1/import": {
      body: { cluster, refused: preview.refused, adjusted: [] },
    },
  });
}

test("reads the cluster's director and imports the services left ticked", async () => {
  const api = importApi();
  await renderInApp(<Harness />);
  await page.getByRole("button", { name: "Import services from the director" }).click();
  const dialog = page.getByRole("dialog", { name: "Import services from the director" });

  await expect.element(dialog.getByRole("checkbox", { name: "Import FWM 7" })).toBeChecked();
  expect(api.sent("POST", "/api/clusters/import/preview")[0]?.body).toEqual({ hostId: "h-lb" });
  await expect
    .element(dialog.getByRole("list", { name: "Services not imported" }))
    .toHaveTextContent("TCP 10.0.0.100:80: it is already in this cluster");

  await dialog.getByRole("checkbox", { name: "Import TCP 10.0.0.210:80" }).click();
  await dialog.getByRole("button", { name: "Import 1 service" }).click();
  await vi.waitUntil(() => api.sent("POST", "/api/clusters/c1/import").length === 1);
  expect(api.sent("POST", "/api/clusters/c1/import")[0]?.body).toEqual({ services: ["FWM 7"] });
  await expect.element(page.getByRole("dialog")).not.toBeInTheDocument();
});

test("a keepalived director does not import into an ipvsadm cluster", async () => {
  importApi({
    ...preview,
    engine: "keepalived",
    keepalivedConf: { takenOver: false, blockers: [] },
  });
  await renderInApp(<Harness />);
  await page.getByRole("button", { name: "Import services from the director" }).click();
  const dialog = page.getByRole("dialog", { name: "Import services from the director" });
  await expect
    .element(dialog.getByRole("alert"))
    .toHaveTextContent(/import it into a cluster of the keepalived engine/);
  await expect.element(dialog.getByRole("button", { name: "Import 2 services" })).toBeDisabled();
});
