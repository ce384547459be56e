// Rendered file contents shared between the hosts of one plan and its two sides. With the same
// realservers behind many services, every realserver carries the same address script and both
// sides of a plan the same rules file: rendering each distinct content once, and handing out the
// same string, also makes the plan's `current !== desired` file comparison a pointer check.
// Reuse is decided by comparing the inputs field by field, never by a hash alone, so a memoized
// content is always exactly what rendering these inputs gives.
import type { ServiceSpec } from "../model.ts";
import { renderNormalizedRestore } from "../render/ipvsadm.ts";
import { renderAddressScript } from "../render/persist.ts";
import type { HostAddress, PolicyRule, TableRoute } from "./state.ts";

interface ScriptInput {
  addresses: readonly HostAddress[];
  routes: readonly TableRoute[];
  rules: readonly PolicyRule[];
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as T;
    const y = b[i] as T;
    if (x !== y && !same(x, y)) return false;
  }
  return true;
}

export function sameAddress(a: HostAddress, b: HostAddress): boolean {
  return a.address === b.address && a.prefix === b.prefix && a.dev === b.dev;
}

export function sameRoute(a: TableRoute, b: TableRoute): boolean {
  return a.family === b.family && a.table === b.table && a.via === b.via;
}

export function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return (
    a.family === b.family &&
    a.priority === b.priority &&
    a.from === b.from &&
    a.ipproto === b.ipproto &&
    a.sport === b.sport &&
    a.table === b.table
  );
}

export function sameAddresses(a: readonly HostAddress[], b: readonly HostAddress[]): boolean {
  return sameList(a, b, sameAddress);
}
export function sameRoutes(a: readonly TableRoute[], b: readonly TableRoute[]): boolean {
  return sameList(a, b, sameRoute);
}
export function sameRules(a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean {
  return sameList(a, b, sameRule);
}

/** Every field of a normalized service the rules file is rendered from. */
function sameNormalizedService(a: ServiceSpec, b: ServiceSpec): boolean {
  return (
    a.protocol === b.protocol &&
    a.vip === b.vip &&
    a.port === b.port &&
    a.fwmark === b.fwmark &&
    a.scheduler === b.scheduler &&
    sameList(a.schedulerFlags ?? [], b.schedulerFlags ?? [], (x, y) => x === y) &&
    a.persistence === b.persistence &&
    a.persistenceNetmask === b.persistenceNetmask &&
    a.forwarding === b.forwarding &&
    sameList(
      a.realservers,
      b.realservers,
      (x, y) =>
        x.address === y.address &&
        x.port === y.port &&
        x.weight === y.weight &&
        x.enabled === y.enabled &&
        x.forwarding === y.forwarding &&
        x.upperThreshold === y.upperThreshold &&
        x.lowerThreshold === y.lowerThreshold,
    )
  );
}

export class HostFileMemo {
  private readonly scripts = new Map<string, { input: ScriptInput; text: string }[]>();
  private restoreInput: readonly ServiceSpec[] | null = null;
  private restoreText = "";

  /**
   * renderAddressScript, reused for equal inputs.
   * @param signature any string that equal inputs share (used only to find candidates).
   */
  addressScript(signature: string, input: ScriptInput): string {
    let bucket = this.scripts.get(signature);
    if (!bucket) {
      bucket = [];
      this.scripts.set(signature, bucket);
    }
    for (const e of bucket) {
      if (
        sameAddresses(e.input.addresses, input.addresses) &&
        sameRoutes(e.input.routes, input.routes) &&
        sameRules(e.input.rules, input.rules)
      ) {
        return e.text;
      }
    }
    const text = renderAddressScript(input.addresses, input.routes, input.rules);
    bucket.push({ input, text });
    return text;
  }

  /** renderNormalizedRestore, reused when the services equal the last ones rendered. */
  restore(services: readonly ServiceSpec[]): string {
    if (this.restoreInput && sameList(this.restoreInput, services, sameNormalizedService)) {
      return this.restoreText;
    }
    this.restoreText = renderNormalizedRestore(services);
    this.restoreInput = services;
    return this.restoreText;
  }
}
