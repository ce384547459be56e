// Every parser reports the lines it could not read instead of dropping them.

export interface ParseError {
  /** 1-based line number in the input. */
  line: number;
  text: string;
  reason: string;
}
