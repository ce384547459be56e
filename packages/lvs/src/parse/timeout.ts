// Parser for `ipvsadm -Ln --timeout`: "Timeout (tcp tcpfin udp): 900 120 300".

export interface IpvsTimeouts {
  tcp: number;
  tcpFin: number;
  udp: number;
}

const TIMEOUT_LINE = /^Timeout \(tcp tcpfin udp\): (\d+) (\d+) (\d+)\s*$/;

export function parseIpvsadmTimeout(text: string): IpvsTimeouts | { error: string } {
  const m = TIMEOUT_LINE.exec(text.trim());
  if (!m) return { error: `not ipvsadm --timeout output: ${JSON.stringify(text.slice(0, 80))}` };
  return { tcp: Number(m[1]), tcpFin: Number(m[2]), udp: Number(m[3]) };
}
