export * from "./fields.ts";
export * from "./render/shell-quote.ts";
