// Session cookies and API tokens are random 256-bit values: a plain SHA-256 is enough to store
// them (no slow KDF needed), and a copy of the database hands out nothing usable.
import { createHash } from "node:crypto";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
