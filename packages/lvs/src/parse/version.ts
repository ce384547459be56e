// Parser for `ipvsadm --version`:
// "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)".

export interface IpvsadmVersion {
  ipvsadm: string;
  date: string;
  /** The IPVS version ipvsadm was compiled against. */
  ipvs: string;
}

const VERSION_LINE = /^ipvsadm v(\S+) (\S+) \(compiled with .*IPVS v(\S+)\)\s*$/;

export function parseIpvsadmVersion(text: string): IpvsadmVersion | { error: string } {
  const m = VERSION_LINE.exec(text.trim());
  if (!m) return { error: `not ipvsadm --version output: ${JSON.stringify(text.slice(0, 80))}` };
  return { ipvsadm: m[1] as string, date: m[2] as string, ipvs: m[3] as string };
}
