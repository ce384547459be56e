// The live view in real Chromium, fed ticks by a stand-in EventSource: on the keepalived engine
// each realserver's health (Up/Down/Unknown and why) shows beside its connections, from the same
// tick, so a realserver that goes down shows at the next tick; on ipvsadm there is no health.
import { Route, Routes } from "react-router";
import { describe, expect, onTestFinished, test, vi } from "vitest";
import { page } from "vitest/browser";
import { fakeApi } from "../../test/fakeApi.ts";
import { renderInApp } from "../../test/render.tsx";
import type { Cluster, ClusterHealth, Engine, RealserverHealth } from "../api/types.ts";
import { LivePage } from "./LivePage.tsx";
import type { LiveTick } from "./types.ts";

const AT = "2026-01-01T12:00:00.000Z";
const TABLE = "Realservers of TCP 192.0.2.10:80";

/** The browser's EventSource, played by the test: `emit` delivers an event to the open stream. */
class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static current: FakeEventSource | null = null;
  readyState = FakeEventSource.CONNECTING;
  constructor(readonly url: string) {
    super();
    FakeEventSource.current = this;
    setTimeout(() => {
      this.readyState = FakeEventSource.OPEN;
      this.dispatchEvent(new Event("open"));
    }, 0);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
    if (FakeEventSource.current === this) FakeEventSource.current = null;
  }
}

function emit(event: "tick" | "error", data: unknown) {
  const source = FakeEventSource.current;
  if (!source) throw new Error("no live stream is open");
  source.dispatchEvent(new MessageEvent(event, { data: JSON.stringify(data) }));
}

function realserver(id: string, address: string) {
  return {
    id,
    serviceId: "svc-1",
    address,
    port: 80,
    weight: 1,
    enabled: true,
    draining: false,
    upperThreshold: 0,
    lowerThreshold: 0,
    checkPort: null,
    hostId: null,
    createdAt: AT,
    updatedAt: AT,
  };
}

function cluster(engine: Engine, forwarding: "nat" | "dr" = "nat"): Cluster {
  return {
    id: "c1",
    name: "edge",
    description: "",
    engine,
    createdAt: AT,
    updatedAt: AT,
    director: {
      hostId: "h-lb",
      dip: "10.0.0.1",
      interface: "eth0",
      vipInterface: null,
      priority: 100,
      host: { id: "h-lb", name: "lb", address: "10.0.0.1" },
    },
    directors: [],
    ha: null,
    services: [
      {
        id: "svc-1",
        clusterId: "c1",
        protocol: "tcp",
        vip: "192.0.2.10",
        port: 80,
        fwmark: null,
        scheduler: "wlc",
        schedulerFlags: [],
        persistence: null,
        persistenceNetmask: null,
        forwarding,
        healthCheck: { type: "tcp", intervalSeconds: 5, timeoutSeconds: 3, retries: 2 },
        onFailure: "quiesce",
        sorryServer: null,
        createdAt: AT,
        updatedAt: AT,
        realservers: [
          realserver("rs-1", "10.0.0.11"),
          realserver("rs-2", "10.0.0.12"),
          realserver("rs-3", "10.0.0.13"),
        ],
      },
    ],
  };
}

function verdict(
  id: string,
  address: string,
  state: RealserverHealth["state"],
  extra: Partial<RealserverHealth> = {},
): RealserverHealth {
  return {
    id,
    serviceId: "svc-1",
    address,
    port: 80,
    state,
    since: null,
    liveWeight: 1,
    ...extra,
  };
}

/** One reading: 10.0.0.11 and .12 in the table at `weight11` and 1, with connections. */
function tick(at: string, weight11: number, health?: ClusterHealth): LiveTick {
  const rs = (key: string, weight: number, active: number, inactive: number) => ({
    key,
    weight,
    activeConns: active,
    inactiveConns: inactive,
    stats: {},
    rates: {},
  });
  return {
    at,
    readMs: 3,
    processMs: 1,
    matched: 0,
    truncated: false,
    rows: [],
    parseErrors: 0,
    services: [
      {
        key: "TCP 192.0.2.10:80",
        activeConns: 7,
        inactiveConns: 2,
        stats: {},
        rates: {},
        realservers: [rs("10.0.0.11:80", weight11, 4, 1), rs("10.0.0.12:80", 1, 3, 1)],
      },
    ],
    ...(health ? { health } : {}),
  };
}

function liveApi(engine: Engine, forwarding: "nat" | "dr" = "nat") {
  vi.stubGlobal("EventSource", FakeEventSource);
  onTestFinished(() => {
    FakeEventSource.current = null;
    vi.unstubAllGlobals();
  });
  return fakeApi({
    "GET /api/clusters/c1": { body: cluster(engine, forwarding) },
    "GET /api/clusters/c1/live/history": { body: [] },
  });
}

function renderLivePage() {
  return renderInApp(
    <Routes location="/clusters/c1/live">
      <Route path="/clusters/:id/live" element={<LivePage />} />
    </Routes>,
  );
}

const table = () => page.getByRole("table", { name: TABLE });
const row = (endpoint: string) =>
  table().getByRole("row", { name: new RegExp(endpoint.replaceAll(".", "\\.")) });

describe("realserver health on the live view", () => {
  test("keepalived: a realserver that goes down reads Down, with why, at the next tick", async () => {
    liveApi("keepalived");
    await renderLivePage();
    await vi.waitUntil(() => FakeEventSource.current?.readyState === FakeEventSource.OPEN);
    expect(FakeEventSource.current?.url).toMatch(/^\/api\/clusters\/c1\/live\?/);

    const allUp: ClusterHealth = {
      engine: "keepalived",
      at: AT,
      directors: [{ hostId: "h-lb", state: "running", since: null, pid: 812 }],
      realservers: [
        verdict("rs-1", "10.0.0.11", "up"),
        verdict("rs-2", "10.0.0.12", "up"),
        verdict("rs-3", "10.0.0.13", "unknown", {
          liveWeight: null,
          lastError: "not in the director's table (not applied yet?)",
        }),
      ],
    };
    emit("tick", tick(AT, 1, allUp));

    await expect.element(table().getByRole("columnheader", { name: "Health" })).toBeVisible();
    await expect.element(row("10.0.0.11:80")).toHaveTextContent(/Up/);
    await expect.element(row("10.0.0.12:80")).toHaveTextContent(/Up/);
    // In the panel but not in the director's table: its verdict, and no counters.
    await expect.element(row("10.0.0.13:80")).toHaveTextContent(/Unknown/);
    await expect.element(row("10.0.0.13:80")).toHaveTextContent(/not applied yet/);
    await expect.element(row("10.0.0.13:80")).toHaveTextContent(/Not in the director's table/);

    // keepalived quiesces 10.0.0.11 after a failed check; its connections are still there.
    const next = "2026-01-01T12:00:01.500Z";
    emit(
      "tick",
      tick(next, 0, {
        ...allUp,
        at: next,
        realservers: [
          verdict("rs-1", "10.0.0.11", "down", {
            since: next,
            liveWeight: 0,
            lastError: "failed its tcp check: quiesced at weight 0",
          }),
          ...allUp.realservers.slice(1),
        ],
      }),
    );
    await expect.element(row("10.0.0.11:80")).toHaveTextContent(/Down/);
    await expect.element(row("10.0.0.11:80")).toHaveTextContent(/for 0 s/);
    await expect
      .element(row("10.0.0.11:80"))
      .toHaveTextContent(/failed its tcp check: quiesced at weight 0/);
    await expect
      .element(row("10.0.0.11:80").getByTitle("failed its tcp check: quiesced at weight 0"))
      .toBeVisible();
    // Beside its connections draining: ActiveConn 4, InActConn 1, weight 0.
    const cells = row("10.0.0.11:80")
      .getByRole("cell")
      .elements()
      .map((c) => c.textContent);
    expect(cells[0]).toMatch(/^Down/);
    expect(cells.slice(1, 4)).toEqual(["0", "4", "1"]);
    await expect.element(row("10.0.0.12:80")).toHaveTextContent(/Up/);
    expect(row("10.0.0.12:80").element().textContent).not.toMatch(/Down/);

    // Plain text, not a live region: the table changes every tick.
    expect(
      table()
        .element()
        .querySelectorAll(
          '[aria-live="polite"], [aria-live="assertive"], [role="status"]:not([aria-live="off"]), [role="log"], [role="alert"]',
        ),
    ).toHaveLength(0);

    // The director stops answering: the last verdicts stay, marked stale.
    emit("error", { message: "ssh: connect ECONNREFUSED 10.0.0.1:22", at: next });
    await expect
      .element(row("10.0.0.11:80"))
      .toHaveTextContent(/\(stale: ssh: connect ECONNREFUSED 10\.0\.0\.1:22\)/);
  });

  test("ipvsadm: no health column and no verdicts, whatever the tick carries", async () => {
    liveApi("ipvsadm");
    await renderLivePage();
    await vi.waitUntil(() => FakeEventSource.current?.readyState === FakeEventSource.OPEN);
    emit(
      "tick",
      tick(AT, 1, {
        engine: "ipvsadm",
        at: AT,
        directors: [],
        realservers: [
          verdict("rs-1", "10.0.0.11", "unknown", {
            lastError: "the cluster is on the ipvsadm engine: nothing checks its realservers",
          }),
        ],
      }),
    );

    await expect.element(row("10.0.0.11:80")).toBeVisible();
    await expect.element(row("10.0.0.11:80")).toHaveTextContent(/10\.0\.0\.11:80/);
    expect(table().getByRole("columnheader", { name: "Health" }).query()).toBeNull();
    expect(table().element().textContent).not.toMatch(/Up|Down|Unknown|nothing checks/);
    expect(row("10.0.0.11:80").getByRole("cell").elements()).toHaveLength(6);
    expect(
      table()
        .getByRole("row", { name: /10\.0\.0\.13/ })
        .query(),
    ).toBeNull();
  });

  test("DR: the card says why out 0/s is expected; NAT says nothing of it", async () => {
    liveApi("ipvsadm", "dr");
    await renderLivePage();
    await vi.waitUntil(() => FakeEventSource.current?.readyState === FakeEventSource.OPEN);
    emit("tick", tick(AT, 1));
    await expect
      .element(
        page.getByText(/Out 0\/s is expected with DR: the realservers answer the clients directly/),
      )
      .toBeVisible();
  });

  test("NAT: no such note (replies pass through the director)", async () => {
    liveApi("ipvsadm", "nat");
    await renderLivePage();
    await vi.waitUntil(() => FakeEventSource.current?.readyState === FakeEventSource.OPEN);
    emit("tick", tick(AT, 1));
    await expect.element(row("10.0.0.11:80")).toBeVisible();
    expect(page.getByText(/Out 0\/s is expected/).query()).toBeNull();
  });
});
