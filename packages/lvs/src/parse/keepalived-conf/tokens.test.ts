import { describe, expect, it } from "vitest";
import { decomment, tokenise } from "./tokens.ts";

const words = (text: string) =>
  tokenise(text).map((l) => l.tokens.map((t) => ("word" in t ? t.word : t.brace)));

describe("tokenise, as keepalived 2.2.7's lib/parser.c reads lines", () => {
  it("ends a line at # or ! outside quotes, and keeps \\# and \\! as themselves", () => {
    expect(decomment("weight 2 # was 3")).toBe("weight 2 ");
    expect(decomment("weight 2 ! was 3")).toBe("weight 2 ");
    expect(decomment('path "/a#b" # c')).toBe('path "/a#b" ');
    expect(decomment("\\# not a comment")).toBe("# not a comment");
    // Any other escape is kept whole: \" opens no quote, so the # after it ends the line.
    expect(decomment('x \\" # y "')).toBe('x \\" ');
  });

  it("splits braces off words, and quoted strings are one word without their quotes", () => {
    expect(words('virtual_server 10.0.0.1 80{\nlvs_sched "rr"}\npath "/a b"{ }')).toEqual([
      ["virtual_server", "10.0.0.1", "80", "{"],
      ["lvs_sched", "rr", "}"],
      ["path", "/a b", "{", "}"],
    ]);
  });

  it("says which line has an unterminated quote, keeping the words before it", () => {
    const [line] = tokenise('lvs_sched "rr');
    expect(line).toEqual({
      line: 1,
      tokens: [{ word: "lvs_sched" }],
      broken: "unterminated quote at line 1",
    });
  });

  it("takes $NAME=value lines as definitions, and flags the lines after them that use $", () => {
    const lines = tokenise("$D=6\n$LONG=a \\\n b\ndelay_loop $D\nweight 1");
    expect(lines.map((l) => l.line)).toEqual([4, 5]);
    expect(lines[0]?.broken).toBe("line 4 uses a $ parameter, which the panel does not substitute");
    expect(lines[1]?.broken).toBeUndefined();
    // Without a definition keepalived substitutes nothing: $ is an ordinary character.
    expect(tokenise("path /$x")[0]?.broken).toBeUndefined();
  });
});
