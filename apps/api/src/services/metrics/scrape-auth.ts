// Who may scrape /metrics: a bearer that is the dedicated scrape token (LVS_PANEL_METRICS_TOKEN),
// compared in constant time, or any user's API token, verified as every API request's is.
import { timingSafeEqual } from "node:crypto";
import { hashToken } from "../token-hash.ts";
import type { TokenService } from "../tokens.ts";

export function createScrapeAuth(deps: {
  /** The dedicated scrape token; unset: API tokens only. */
  token: string | undefined;
  tokens: Pick<TokenService, "resolve">;
}) {
  // Digests have one length, so comparing them leaks nothing about the token's length either.
  const expected = deps.token ? Buffer.from(hashToken(deps.token), "hex") : undefined;
  return {
    /** Whether an `Authorization` header lets its sender read the metrics. */
    async allows(header: string | undefined): Promise<boolean> {
      const token = /^Bearer +(\S+) *$/.exec(header ?? "")?.[1];
      if (!token) return false;
      if (expected && timingSafeEqual(Buffer.from(hashToken(token), "hex"), expected)) return true;
      return (await deps.tokens.resolve(token)) !== null;
    },
  };
}

export type ScrapeAuth = ReturnType<typeof createScrapeAuth>;
