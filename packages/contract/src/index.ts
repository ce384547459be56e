// The wire contract of the lvs-panel API. The API validates requests and serialises responses
// through these schemas (and the OpenAPI page is generated from them); the web takes its types
// from them. One definition, so the two sides cannot drift.
export * from "./applies.ts";
export * from "./audit.ts";
export * from "./clusters.ts";
export * from "./common.ts";
export * from "./drift.ts";
export * from "./health.ts";
export * from "./hosts.ts";
export * from "./import.ts";
export * from "./live.ts";
export * from "./live-history.ts";
export * from "./overview.ts";
export * from "./plan.ts";
export * from "./realserver-bulk.ts";
export * from "./tokens.ts";
export * from "./users.ts";
