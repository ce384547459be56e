// Low-level pieces for the connection-table parsers, which see a million lines: split chunks into
// lines without copying them, find token boundaries by char code, and reuse strings for values
// that repeat (states, virtual and real endpoints) instead of allocating one per line.

/** Feeds complete lines (as start/end offsets into a string) from chunks that split anywhere. */
export class LineSplitter {
  private rest = "";
  constructor(private readonly onLine: (text: string, start: number, end: number) => void) {}

  write(chunk: string): void {
    let start = 0;
    if (this.rest !== "") {
      const nl = chunk.indexOf("\n");
      if (nl < 0) {
        this.rest += chunk;
        return;
      }
      const line = this.rest + chunk.slice(0, nl);
      this.rest = "";
      this.emit(line, 0, line.length);
      start = nl + 1;
    }
    let nl = chunk.indexOf("\n", start);
    while (nl >= 0) {
      this.emit(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) this.rest = chunk.slice(start);
  }

  end(): void {
    if (this.rest !== "") {
      const line = this.rest;
      this.rest = "";
      this.emit(line, 0, line.length);
    }
  }

  private emit(text: string, start: number, end: number): void {
    // Tolerate CRLF from tools that add it on the way.
    const e = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    this.onLine(text, start, e);
  }
}

/** Token offsets of the current line: starts[i]..ends[i]. Reused, never reallocated. */
export class Tokens {
  readonly starts = new Int32Array(16);
  readonly ends = new Int32Array(16);
  count = 0;

  /** Split on spaces/tabs; returns the token count (at most 16, extra text joins the last). */
  scan(text: string, start: number, end: number): number {
    let n = 0;
    let i = start;
    while (i < end) {
      let c = text.charCodeAt(i);
      while ((c === 32 || c === 9) && i < end) c = text.charCodeAt(++i);
      if (i >= end) break;
      if (n === 16) {
        this.ends[15] = end;
        break;
      }
      this.starts[n] = i;
      while (i < end && c !== 32 && c !== 9) c = text.charCodeAt(++i);
      this.ends[n] = i;
      n++;
    }
    this.count = n;
    return n;
  }
}

/**
 * Returns one shared string per distinct substring, keyed by a cheap hash and confirmed with
 * startsWith, so repeated values cost no allocation. Bounded: it forgets everything past `limit`
 * distinct values (high-cardinality callers then just allocate as usual).
 */
export class Interner {
  private readonly map = new Map<number, string>();
  constructor(private readonly limit = 1 << 16) {}

  get(text: string, start: number, end: number): string {
    let h = end - start;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    const hit = this.map.get(h);
    if (hit !== undefined && hit.length === end - start && text.startsWith(hit, start)) return hit;
    const value = text.slice(start, end);
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(h, value);
    return value;
  }
}

/** Decimal digits in text[start, end) as a number, or -1 when any char is not a digit. */
export function decimalAt(text: string, start: number, end: number): number {
  if (start >= end) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Hex digits in text[start, end) as a number (up to 8 digits), or -1 on a non-hex char. */
export function hexAt(text: string, start: number, end: number): number {
  if (start >= end || end - start > 8) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 65 && c <= 70) d = c - 55;
    else if (c >= 97 && c <= 102) d = c - 87;
    else return -1;
    n = n * 16 + d;
  }
  return n;
}
