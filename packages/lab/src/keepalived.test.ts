// The keepalived renderer against real keepalived on the lab's IPVS kernel: for generated
// clusters, the table keepalived builds from renderKeepalivedConf is exactly the table
// `ipvsadm-restore` builds from renderIpvsadmRestore, thresholds included. So switching a
// director from the ipvsadm engine to keepalived hands keepalived the table already there.
// Health checks on real keepalived: keepalived-health.test.ts.

import {
  type ClusterSpec,
  DEFAULT_HEALTH_CHECK,
  keepalivedCheckVerdict,
  keepalivedServices,
  quoteShellArg,
  renderIpvsadmRestore,
  renderKeepalivedConf,
} from "@lvs-panel/lvs";
import { clusterSpec } from "@lvs-panel/lvs/test/arbitraries";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectLab, ensureLab, labExec, labRun, labStatus, stopLab } from "./lab.ts";

const enabled = process.env.LVS_PANEL_LAB !== "0" && process.env.LVS_PANEL_E2E_LAB !== "0";
const CONF = "/run/lvs-panel-test/keepalived.conf";
const PIDS = "-p /run/lvs-panel-test/keepalived.pid -c /run/lvs-panel-test/checkers.pid";

/** The whole table as the kernel holds it, thresholds too (ipvsadm-save leaves them out). */
const table = async () => labRun("{ ipvsadm -S -n; ipvsadm -Ln --thresholds; } | sort");

async function stopKeepalived() {
  await labExec(
    'p=$(cat /run/lvs-panel-test/keepalived.pid 2>/dev/null) && kill "$p" 2>/dev/null; for i in $(seq 50); do pgrep -x keepalived >/dev/null || break; sleep 0.1; done; ipvsadm -C',
  );
}

/**
 * The generated specs say nothing about checks, so they would get DEFAULT_HEALTH_CHECK: TCP
 * checks against realservers that mostly do not exist in the lab (10.10.0.14-16, fd00::, ports
 * 443 and 8080). keepalived builds the whole table before its first check, but a check may run
 * within the first second (its warmup is random up to delay_loop) and take a dead one out while
 * this test is still reading the table: a race, not a property. So the property is about the table
 * keepalived starts from, without checkers; keepalived-health.test.ts shows that with checks
 * against live servers the table is the same, and what the checks then do to it.
 */
function unchecked(spec: ClusterSpec): ClusterSpec {
  const healthCheck = { ...DEFAULT_HEALTH_CHECK, type: "none" as const };
  return { ...spec, services: spec.services.map((s) => ({ ...s, healthCheck })) };
}

function hasMarkDuplicates(spec: { services: ClusterSpec["services"] }): boolean {
  return spec.services.some((s) => {
    const endpoints = s.realservers.map((rs) => `${rs.address}|${rs.port}`);
    return new Set(endpoints).size !== endpoints.length;
  });
}

describe.skipIf(!enabled)("keepalived.conf on real keepalived", () => {
  let wasUp = false;

  beforeAll(async () => {
    wasUp = (await labStatus()) !== undefined;
    await ensureLab();
    await labRun(
      "mkdir -p /run/lvs-panel-test && ipvsadm -C && keepalived --version 2>&1 | head -1",
    );
  });

  afterAll(async () => {
    if (!enabled) return;
    await stopKeepalived().catch(() => undefined);
    if (wasUp) await disconnectLab();
    else await stopLab();
  });

  it("builds the table ipvsadm-restore builds, for generated clusters", async () => {
    await fc.assert(
      fc.asyncProperty(clusterSpec.map(unchecked), async (spec) => {
        // Known divergence, for the keepalived engine's validation to refuse: a mark service's
        // DR realservers differing only by port are one destination once keepalived clears the
        // port (it keeps one, ipvsadm keeps both).
        fc.pre(!hasMarkDuplicates(keepalivedServices(spec)));
        await labRun(
          // A service without realservers keepalived leaves out (the renderer says so in the file).
          `ipvsadm -C && printf '%s' ${quoteShellArg(renderIpvsadmRestore(keepalivedServices(spec)))} | ipvsadm-restore`,
        );
        const pushed = await table();
        await labRun(
          `ipvsadm -C && printf '%s' ${quoteShellArg(renderKeepalivedConf(spec))} > ${CONF}`,
        );
        // What the apply will run before loading: a config keepalived refuses never goes live.
        const check = await labExec(`keepalived -t -e -f ${CONF} 2>&1`);
        expect(keepalivedCheckVerdict(check.code ?? -1, check.stdout)).toEqual({ ok: true });
        await labRun(`keepalived -C -f ${CONF} ${PIDS}`);
        try {
          // keepalived fills the table asynchronously after it starts: wait for all of it.
          let built = "";
          for (let i = 0; i < 50 && built !== pushed; i++) {
            await new Promise((r) => setTimeout(r, 100));
            built = await table();
          }
          expect(built).toBe(pushed);
        } finally {
          await stopKeepalived();
        }
      }),
      { numRuns: 12, seed: 2026 },
    );
  }, 300_000);
});
