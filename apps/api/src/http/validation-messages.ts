// Plain-English messages for the checks zod would otherwise describe in type-system terms
// ("Invalid input: expected object, received null", "Too small: expected string to have >=1
// characters"). A message is what follows the field's name: "port: must be a whole number".
// Schemas that give a message of their own keep it; this covers the rest.
import type { z } from "zod";

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  date: "a date",
  null: "null",
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? `of type ${expected}`;
}

function plural(n: number | bigint, one: string, many: string): string {
  return `${n} ${n === 1 || n === 1n ? one : many}`;
}

function sizeLimit(issue: {
  origin: string;
  limit: number | bigint;
  inclusive: boolean;
  side: "least" | "most";
}): string {
  const { origin, limit, inclusive, side } = issue;
  switch (origin) {
    case "string":
      if (side === "least" && Number(limit) === 1 && inclusive) return "must not be empty";
      return `must be at ${side} ${plural(limit, "character", "characters")} long`;
    case "array":
    case "set":
      if (side === "least" && Number(limit) === 1 && inclusive) return "must not be empty";
      return `must have at ${side} ${plural(limit, "item", "items")}`;
    default:
      if (!inclusive) return `must be ${side === "least" ? "greater" : "less"} than ${limit}`;
      return `must be at ${side} ${limit}`;
  }
}

function formatName(issue: { format: string; pattern?: string | undefined }): string {
  switch (issue.format) {
    case "regex":
      return "is not in the expected format";
    case "ipv4":
      return "must be an IPv4 address";
    case "ipv6":
      return "must be an IPv6 address";
    case "email":
      return "must be an email address";
    case "url":
      return "must be a URL";
    default:
      return `must be a valid ${issue.format}`;
  }
}

function quoteValue(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function oneOf(values: readonly unknown[]): string {
  const words = values.map(quoteValue);
  if (words.length === 1) return `must be ${words[0]}`;
  return `must be ${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** z.config's customError: a message, or undefined to keep the schema's own or zod's. */
export function plainEnglishIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${typeName(issue.expected)}`;
    case "too_small":
      return sizeLimit({
        origin: issue.origin,
        limit: issue.minimum,
        inclusive: issue.inclusive ?? true,
        side: "least",
      });
    case "too_big":
      return sizeLimit({
        origin: issue.origin,
        limit: issue.maximum,
        inclusive: issue.inclusive ?? true,
        side: "most",
      });
    case "invalid_format":
      return formatName(issue);
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return issue.keys.length === 1
        ? `has an unknown field: ${issue.keys[0]}`
        : `has unknown fields: ${issue.keys.join(", ")}`;
    case "invalid_value":
      return oneOf(issue.values);
    case "invalid_union":
      return "does not match any of the accepted forms";
    case "invalid_key":
      return "has a key that is not allowed";
    case "invalid_element":
      return "has a value that is not allowed";
    default:
      return undefined;
  }
}
