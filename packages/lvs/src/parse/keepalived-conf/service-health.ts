// The one health check a service has in the model, from its realservers' checkers: they must be
// checked alike (but for the port), or the service is refused. Notes from the checkers are said
// once for the service, or per realserver where they differ.
import { formatEndpoint } from "../../address.ts";
import { DEFAULT_HEALTH_CHECK, type HealthCheck } from "../../health-check.ts";
import type { ServiceSpec } from "../../model.ts";
import { healthCheckOf } from "./checkers.ts";
import type { RealServer, VirtualServer } from "./services.ts";
import { refuse } from "./values.ts";

export function rsName(address: string, port: number): string {
  return `real_server ${port === 0 ? address : formatEndpoint(address, port)}`;
}

interface Checked {
  name: string;
  check: HealthCheck;
  notes: string[];
  port: number;
  inhibit: boolean;
}

function checkOf(vs: VirtualServer, rs: RealServer, port: number): Checked | null {
  const c = rs.checker;
  if (!c) return null;
  const name = rsName(rs.address, port);
  const { check, notes } = healthCheckOf(c, [rs.timing, vs.timing], name);
  const checkPort = c.connectPort ?? port;
  if (checkPort === 0) {
    refuse(
      `${name} has a checker but no port to check: keepalived checks port 0 and holds it down`,
    );
  }
  return { name, check, notes, port: checkPort, inhibit: rs.inhibit ?? vs.inhibit };
}

/** Sets `spec`'s check, failure action and check ports; returns the notes on its timing. */
export function serviceHealth(spec: ServiceSpec, vs: VirtualServer): string[] {
  const checks = vs.realservers.map((rs, i) => checkOf(vs, rs, spec.realservers[i]?.port ?? 0));
  const first = checks.find((c) => c !== null);
  if (!first) {
    spec.healthCheck = { ...DEFAULT_HEALTH_CHECK, type: "none" };
    return [];
  }
  const same = JSON.stringify(first.check);
  spec.realservers.forEach((rs, i) => {
    const c = checks[i];
    const name = rsName(rs.address, rs.port);
    // The renderer leaves exactly one realserver unchecked: a mark service's with no port at all.
    if (!c && rs.port !== 0) refuse(`${name} has no checker while others have one`);
    if (c && JSON.stringify(c.check) !== same)
      refuse(
        `${name} is checked otherwise than the first checked realserver: the panel has one check per service`,
      );
    if (c && c.inhibit !== first.inhibit)
      refuse("inhibit_on_failure is set for some realservers and not others");
  });
  spec.healthCheck = first.check;
  spec.onFailure = first.inhibit ? "quiesce" : "remove";
  const ports = checks.map((c) => c?.port);
  const shared = ports.every((p) => p === first.port) ? first.port : undefined;
  if (shared !== undefined && spec.realservers.some((rs) => rs.port !== shared)) {
    spec.healthCheck = { ...first.check, port: shared };
  } else {
    spec.realservers.forEach((rs, i) => {
      const p = ports[i];
      if (p !== undefined && p !== rs.port) rs.checkPort = p;
    });
  }
  const checked = checks.filter((c) => c !== null);
  const notes = JSON.stringify(first.notes);
  if (checked.every((c) => JSON.stringify(c.notes) === notes)) return first.notes;
  return checked.flatMap((c) => c.notes.map((n) => `${c.name}: ${n}`));
}
