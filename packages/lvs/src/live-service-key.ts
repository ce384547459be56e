// The name the live view gives a virtual service, "TCP 192.168.77.100:80": the API keys the
// director's counters by it and the web finds its own services in a tick by it, so both build it
// here. (validate.ts's serviceKey is another key, for spotting duplicate services.)
import { formatEndpoint } from "./address.ts";

export interface LiveServiceKeyParts {
  /** Any case: "tcp" from the model, "tcp" or "fwm" from a listing. */
  protocol: string;
  vip: string;
  port: number;
  fwmark?: number | null | undefined;
}

/** "TCP 192.168.77.100:80", "UDP [fd00::200]:53" (IPv6 in brackets, as ipvsadm writes it), "FWM 7". */
export function liveServiceKey(s: LiveServiceKeyParts): string {
  if (s.fwmark != null) return `FWM ${s.fwmark}`;
  return `${s.protocol.toUpperCase()} ${formatEndpoint(s.vip, s.port)}`;
}
