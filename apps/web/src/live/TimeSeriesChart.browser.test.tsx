// The live chart in real Chromium: the ticks uPlot draws on its canvas are written out as the
// chart's description, so what a person sees can be checked: whole numbers without repeats for
// small counts, seconds on the time axis when ticks are under a minute apart.
import { expect, test } from "vitest";
import { page } from "vitest/browser";
import { renderInApp } from "../../test/render.tsx";
import { formatAxisNumber } from "./format.ts";
import { TimeSeriesChart } from "./TimeSeriesChart.tsx";

const T0 = Date.parse("2026-01-01T12:00:00.000Z") / 1000;

test("small counts get 0, 1, 2, 3 on the scale, and distinct times on the time axis", async () => {
  const x = Array.from({ length: 20 }, (_, i) => T0 + i * 1.5);
  renderInApp(
    <TimeSeriesChart
      label="Connections of 10.10.0.11:80"
      x={x}
      lines={[
        { label: "10.10.0.11:80 active", color: "#4f46e5", values: x.map((_, i) => i % 3) },
        {
          label: "10.10.0.11:80 inactive",
          color: "#4f46e5",
          dash: [4, 3],
          values: x.map((_, i) => (i < 10 ? 1 : 0)),
        },
      ]}
      formatLeft={formatAxisNumber}
    />,
  );
  const chart = page.getByRole("img", { name: "Connections of 10.10.0.11:80" });
  await expect.element(chart).toHaveAccessibleDescription(/^Scale: 0, 1, 2, 3\. Times: /);
  const description = chart.element().getAttribute("aria-describedby") ?? "";
  const text = document.getElementById(description)?.textContent ?? "";
  const times = (/Times: (.*)\.$/.exec(text)?.[1] ?? "").split(", ");
  expect(times.length).toBeGreaterThan(1);
  expect(new Set(times).size).toBe(times.length);
  // 28.5 s of data: ticks seconds apart, so they carry seconds.
  expect(times.every((t) => /^\d\d:\d\d:\d\d$/.test(t))).toBe(true);
  // Both lines are in the legend.
  await expect.element(page.getByText("10.10.0.11:80 active")).toBeVisible();
  await expect.element(page.getByText("10.10.0.11:80 inactive")).toBeVisible();
});
