// Synthetic connection tables in both formats, generated as ~64 KiB chunks the way an SSH stream
// delivers them (so no single 80 MB string is needed).

const STATES = ["ESTABLISHED", "TIME_WAIT", "FIN_WAIT", "SYN_RECV", "CLOSE_WAIT"];

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, "0");
}

function* entries(count: number) {
  for (let i = 0; i < count; i++) {
    const client = 0xc0a80000 + (i % 65000);
    const vip = 0x0a0a00c8 + (i % 8);
    const dest = 0x0a0a0000 + 11 + (i % 40);
    yield {
      client,
      cport: 1024 + (i % 60000),
      vip,
      vport: i % 3 === 0 ? 443 : 80,
      dest,
      dport: 80,
      state: STATES[i % STATES.length] as string,
      expires: i % 900,
    };
  }
}

function dotted(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** join() yields flat strings; `+=` would build ropes that cost several times the memory. */
function chunked(lines: Iterable<string>, header: string): string[] {
  const chunks: string[] = [];
  let buf: string[] = [header];
  let size = header.length;
  for (const line of lines) {
    buf.push(line);
    size += line.length;
    if (size > 65536) {
      chunks.push(buf.join(""));
      buf = [];
      size = 0;
    }
  }
  if (buf.length > 0) chunks.push(buf.join(""));
  return chunks;
}

export function generateLnc(count: number): string[] {
  function* lines() {
    for (const e of entries(count)) {
      const mm = String(Math.floor(e.expires / 60)).padStart(2, "0");
      const ss = String(e.expires % 60).padStart(2, "0");
      const src = `${dotted(e.client)}:${e.cport}`.padEnd(18);
      const vip = `${dotted(e.vip)}:${e.vport}`.padEnd(18);
      yield `TCP ${mm}:${ss}  ${e.state.padEnd(11)} ${src} ${vip} ${dotted(e.dest)}:${e.dport}\n`;
    }
  }
  return chunked(
    lines(),
    "IPVS connection entries\npro expire state       source             virtual            destination\n",
  );
}

export function generateProc(count: number): string[] {
  function* lines() {
    for (const e of entries(count)) {
      yield `TCP ${hex(e.client, 8)} ${hex(e.cport, 4)} ${hex(e.vip, 8)} ${hex(e.vport, 4)} ${hex(e.dest, 8)} ${hex(e.dport, 4)} ${e.state.padEnd(11)} ${String(e.expires).padStart(7)}\n`;
    }
  }
  return chunked(
    lines(),
    "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n",
  );
}
