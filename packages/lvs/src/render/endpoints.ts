// Realserver endpoints as ipvsadm writes them (`a.b.c.d:port`, `[v6]:port`) and as plan keys
// (`address|port`). The same 20 realservers behind 1,000 services would otherwise build the
// same two strings 20,000 times per side of a plan; one memo per plan builds each once.
import { formatEndpoint } from "../address.ts";

export interface Endpoint {
  /** `address|port`, the realserver part of step ids. */
  key: string;
  /** ipvsadm's `-r` argument. */
  text: string;
  /** Scratch for the plan's ipvsadm diff (which pass last saw this endpoint). */
  mark: number;
}

export class EndpointMemo {
  private readonly byAddress = new Map<string, Map<number, Endpoint>>();

  get(address: string, port: number): Endpoint {
    let ports = this.byAddress.get(address);
    if (!ports) {
      ports = new Map();
      this.byAddress.set(address, ports);
    }
    let e = ports.get(port);
    if (!e) {
      e = { key: `${address}|${port}`, text: formatEndpoint(address, port), mark: 0 };
      ports.set(port, e);
    }
    return e;
  }
}
