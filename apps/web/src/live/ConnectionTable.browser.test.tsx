// The connection table is virtualised: with 100,000 entries only a window of rows is in the DOM,
// in real Chromium with the app's styles (the scroll box's height comes from Tailwind).
import { expect, test } from "vitest";
import { page } from "vitest/browser";
import { renderInApp } from "../../test/render.tsx";
import { ConnectionTable } from "./ConnectionTable.tsx";
import type { LiveRow } from "./types.ts";

const COUNT = 100_000;

/** Entry i comes from client 10.a.b.c:port, unique per i, so any row can be found by its text. */
function client(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:${40_000 + (i % 20_000)}`;
}

const rows: LiveRow[] = Array.from({ length: COUNT }, (_, i) => ({
  protocol: "TCP",
  state: i % 3 === 0 ? "TIME_WAIT" : "ESTABLISHED",
  expires: 900 - (i % 900),
  client: client(i),
  virtual: "192.0.2.10:80",
  realserver: `10.0.0.${11 + (i % 3)}:80`,
  template: false,
}));

test("100,000 entries render a small window of rows, and scrolling to the end shows the last", async () => {
  const screen = await renderInApp(<ConnectionTable rows={rows} empty="No connections" />);
  const table = page.getByRole("table", { name: "Connections" });
  await expect.element(table).toHaveAttribute("aria-rowcount", String(COUNT + 1));
  await expect.element(table.getByRole("cell", { name: client(0), exact: true })).toBeVisible();
  const bodyRows = () => screen.container.querySelectorAll("tbody tr").length;
  expect(bodyRows()).toBeLessThan(200);

  const scroller = table.element().parentElement as HTMLElement;
  expect(scroller.clientHeight).toBeLessThan(500);
  scroller.scrollTop = scroller.scrollHeight;

  const last = table.getByRole("cell", { name: client(COUNT - 1), exact: true });
  await expect.element(last).toBeVisible();
  expect(last.element().closest("tr")?.getAttribute("aria-rowindex")).toBe(String(COUNT + 1));
  expect(table.getByRole("cell", { name: client(0), exact: true }).query()).toBeNull();
  expect(bodyRows()).toBeLessThan(200);
});
