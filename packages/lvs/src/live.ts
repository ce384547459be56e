// Converts what ipvsadm reports (-Ln, --thresholds, ipvsadm-save) into the model, so live state
// and desired state can be diffed by the plan.
import type { Forwarding } from "./fields.ts";
import { SCHEDULERS, type Scheduler } from "./fields.ts";
import type { Issue, RealServerSpec, ServiceSpec } from "./model.ts";
import type { IpvsList, ListedForwarding, ListedService } from "./parse/list.ts";

export interface LiveServices {
  services: ServiceSpec[];
  /** Kernel state the model cannot express (local forwarding), reported not hidden. */
  issues: Issue[];
}

/** ipvsadm's forwarding names as the model's; "local" (a realserver on the director) has none. */
const FORWARDING: Partial<Record<ListedForwarding, Forwarding>> = {
  nat: "nat",
  dr: "dr",
  tunnel: "tun",
};

function listedKey(s: ListedService): string {
  return s.fwmark !== undefined
    ? `fwm|${s.fwmark}|${s.family}`
    : `${s.protocol}|${s.address}|${s.port}`;
}

export function servicesFromListing(listed: readonly ListedService[]): LiveServices {
  const issues: Issue[] = [];
  const services: ServiceSpec[] = [];
  listed.forEach((ls, i) => {
    const field = `services[${i}]`;
    const scheduler = (ls.scheduler ?? "wlc") as Scheduler;
    if (!SCHEDULERS.includes(scheduler)) {
      issues.push({ code: "UNKNOWN_SCHEDULER", field, message: `scheduler ${ls.scheduler}` });
    }
    const realservers: RealServerSpec[] = [];
    const methods: Forwarding[] = [];
    ls.realservers.forEach((lr, j) => {
      const listed = lr.forwarding ?? "dr";
      const fwd = FORWARDING[listed];
      if (!fwd) {
        issues.push({
          code: "UNSUPPORTED_FORWARDING",
          field: `${field}.realservers[${j}]`,
          message: `${listed} forwarding is not managed; realserver left out`,
        });
        return;
      }
      // The model's TUN is ipip (`-i` alone): a gue or gre tunnel would be rewritten as one.
      const tunnel = lr.tunnel?.type ?? "ipip";
      if (fwd === "tun" && tunnel !== "ipip") {
        issues.push({
          code: "UNSUPPORTED_FORWARDING",
          field: `${field}.realservers[${j}]`,
          message: `${tunnel} tunnelling is not managed (TUN here is ipip); realserver left out`,
        });
        return;
      }
      methods.push(fwd);
      const rs: RealServerSpec = {
        address: lr.address,
        port: lr.port,
        weight: lr.weight ?? 1,
        enabled: true,
        forwarding: fwd,
      };
      if (lr.upperThreshold !== undefined) rs.upperThreshold = lr.upperThreshold;
      if (lr.lowerThreshold !== undefined) rs.lowerThreshold = lr.lowerThreshold;
      realservers.push(rs);
    });
    // The kernel keeps a method per realserver; the service-level one is the first realserver's,
    // and only realservers that differ keep their own.
    const forwarding: Forwarding = methods[0] ?? "dr";
    for (const rs of realservers) if (rs.forwarding === forwarding) delete rs.forwarding;
    const spec: ServiceSpec = {
      // A mark service has no protocol of its own; the model keeps "tcp" there (normalize.ts).
      protocol: ls.protocol === "fwm" ? "tcp" : ls.protocol,
      vip: ls.address ?? (ls.family === 6 ? "::" : "0.0.0.0"),
      port: ls.port ?? 0,
      scheduler,
      schedulerFlags: ls.schedulerFlags,
      persistence: ls.persistence ?? null,
      persistenceNetmask: ls.persistenceNetmask ?? null,
      forwarding,
      realservers,
    };
    if (ls.fwmark !== undefined) spec.fwmark = ls.fwmark;
    services.push(spec);
  });
  return { services, issues };
}

/**
 * Neither `-Ln` nor `ipvsadm-save` shows thresholds; `-Ln --thresholds` shows only them. Merge its
 * figures into services read from either.
 */
export function mergeThresholds(
  services: readonly ServiceSpec[],
  thresholds: IpvsList,
): ServiceSpec[] {
  const byKey = new Map(thresholds.services.map((s) => [listedKey(s), s]));
  return services.map((svc) => {
    const key =
      svc.fwmark != null
        ? `fwm|${svc.fwmark}|${svc.vip.includes(":") ? 6 : 4}`
        : `${svc.protocol}|${svc.vip}|${svc.port}`;
    const listed = byKey.get(key);
    if (!listed) return svc;
    return {
      ...svc,
      realservers: svc.realservers.map((rs) => {
        const lr = listed.realservers.find((r) => r.address === rs.address && r.port === rs.port);
        if (!lr) return rs;
        return {
          ...rs,
          upperThreshold: lr.upperThreshold ?? 0,
          lowerThreshold: lr.lowerThreshold ?? 0,
        };
      }),
    };
  });
}
