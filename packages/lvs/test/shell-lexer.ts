// A small POSIX-shell word splitter for tests: enough of the grammar (quotes, backslash,
// operators) to check that rendered scripts contain every value as one literal word and nothing
// the shell would expand.

export interface LexedScript {
  /** Commands split at && ; | with redirections removed. */
  commands: string[][];
  /** Characters the shell saw unquoted (to look for expansions). */
  unquoted: string;
}

export function lexShell(script: string): LexedScript {
  const commands: string[][] = [[]];
  let unquoted = "";
  let word: string | null = null;
  let i = 0;
  const cmd = () => commands[commands.length - 1] as string[];
  const endWord = () => {
    if (word !== null) cmd().push(word);
    word = null;
  };
  while (i < script.length) {
    const c = script[i] as string;
    if (c === "'") {
      const close = script.indexOf("'", i + 1);
      if (close < 0) throw new Error("unterminated single quote");
      word = (word ?? "") + script.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (c === "\\") {
      word = (word ?? "") + (script[i + 1] ?? "");
      i += 2;
      continue;
    }
    if (c === " " || c === "\t") {
      endWord();
      i++;
      continue;
    }
    if (script.startsWith("&&", i) || c === ";" || c === "|" || c === "\n") {
      endWord();
      commands.push([]);
      i += script.startsWith("&&", i) ? 2 : 1;
      continue;
    }
    if (c === ">" || script.startsWith("2>", i)) {
      // Redirection: drop the operator and its target word.
      endWord();
      i += c === ">" ? 1 : 2;
      while (script[i] === " ") i++;
      const m = /^('[^']*'|[^\s;&|]+)/.exec(script.slice(i));
      i += m ? m[0].length : 0;
      continue;
    }
    unquoted += c;
    word = (word ?? "") + c;
    i++;
  }
  endWord();
  return { commands: commands.filter((c) => c.length > 0), unquoted };
}

/** Characters that make a POSIX shell do something other than take a literal. */
export const SHELL_ACTIVE = /[$`()*?[\]~!{}"<#&]/;
