// keepalived.conf's lines cut into words and braces as keepalived 2.2.7 reads them (lib/parser.c:
// decomment(), read_line(), alloc_strvec_r()), before any keyword means anything.

export type Token = { brace: "{" | "}" } | { word: string };

export interface TokenLine {
  line: number;
  tokens: Token[];
  /** Why keepalived would read the line otherwise than as written here. */
  broken?: string;
}

/**
 * decomment(): `#` or `!` outside quotes ends the line; outside quotes `\#` and `\!` stand for
 * themselves, and any other `\x` is kept whole, so `\"` opens no quote.
 */
export function decomment(raw: string): string {
  let out = "";
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    const next = raw[i + 1];
    if (c === "\\" && next !== undefined) {
      out += !quoted && (next === "#" || next === "!") ? next : c + next;
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "#" || c === "!")) break;
    out += c;
  }
  return out;
}

// Words split on blanks; "…" is one word without its quotes (alloc_strvec_r); read_line() cuts a
// line at each `{` or `}` outside quotes, so `foo{` is `foo` then `{`, as lenient as keepalived.
const TOKEN = /\s*(?:([{}])|"([^"]*)"|(")|([^\s"{}]+))/y;

// `$NAME=value` defines a parameter that keepalived substitutes for `$NAME` in the lines after it
// (check_definition(), replace_param()); a definition ending in `\` goes on to the next line.
const DEFINITION = /^\s*\$[A-Za-z_][A-Za-z0-9_]*\s*=/;

export function tokenise(text: string): TokenLine[] {
  const lines: TokenLine[] = [];
  let defined = false;
  let continued = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const body = decomment(raw);
    if (continued || DEFINITION.test(body)) {
      defined = true;
      continued = body.trimEnd().endsWith("\\");
      return;
    }
    const out: TokenLine = { line, tokens: [] };
    if (defined && body.includes("$")) {
      out.broken = `line ${line} uses a $ parameter, which the panel does not substitute`;
    }
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(body); m; m = TOKEN.exec(body)) {
      const [, brace, quoted, badQuote, word] = m;
      if (badQuote !== undefined) {
        out.broken ??= `unterminated quote at line ${line}`;
        break;
      }
      out.tokens.push(brace === "{" || brace === "}" ? { brace } : { word: quoted ?? word ?? "" });
    }
    lines.push(out);
  });
  return lines;
}
