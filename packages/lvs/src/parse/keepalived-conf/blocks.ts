// keepalived.conf's statements nested by their braces, and the first place the braces do not
// balance: keepalived reads on past such a fault, so what follows it is not where it seems.
import { tokenise } from "./tokens.ts";

export interface Statement {
  words: string[];
  line: number;
  /** The statement's `{ … }`, or null when it has none. */
  block: Statement[] | null;
  /** Why keepalived would not read the line as written here (an unterminated quote). */
  broken?: string;
}

export interface Tree {
  top: Statement[];
  /** The first brace fault: an extra `}` at top level, or the outermost `{` never closed. */
  unbalanced: { line: number; extraClose: boolean } | null;
}

export function readTree(text: string): Tree {
  const top: Statement[] = [];
  const open: { into: Statement[]; head: Statement }[] = [];
  let unbalanced: Tree["unbalanced"] = null;
  const level = () => open.at(-1)?.into ?? top;
  for (const { line, tokens, broken } of tokenise(text)) {
    let current: Statement | null = null;
    for (const token of tokens) {
      if ("word" in token) {
        current ??= pushed(level(), emptyAt(line));
        current.words.push(token.word);
      } else if (token.brace === "{") {
        // keepalived also takes the `{` on the line after its keyword.
        const last = level().at(-1);
        const head =
          current ?? (last && last.block === null ? last : pushed(level(), emptyAt(line)));
        head.block = [];
        open.push({ into: head.block, head });
        current = null;
      } else {
        current = null;
        if (open.pop() === undefined) unbalanced ??= { line, extraClose: true };
      }
    }
    if (broken !== undefined) (current ?? pushed(level(), emptyAt(line))).broken ??= broken;
  }
  const outer = open[0];
  if (outer) unbalanced ??= { line: outer.head.line, extraClose: false };
  return { top, unbalanced };
}

function emptyAt(line: number): Statement {
  return { words: [], line, block: null };
}

function pushed(into: Statement[], s: Statement): Statement {
  into.push(s);
  return s;
}

/** The first line keepalived would not read as written, anywhere in `st`. */
export function firstBroken(st: Statement): string | undefined {
  return st.broken ?? st.block?.map(firstBroken).find((b) => b !== undefined);
}

/** Every statement named `keyword` at or under `st` (an unclosed block swallows those after it). */
export function statementsIn(st: Statement, keyword: string): Statement[] {
  const inner = (st.block ?? []).flatMap((s) => statementsIn(s, keyword));
  return st.words[0] === keyword ? [st, ...inner] : inner;
}
