import { describe, expect, it } from "vitest";
import { ApiError } from "../../../api/client.ts";
import { describeFailure } from "./planFailure.ts";

describe("describeFailure", () => {
  it.each([
    [new ApiError(409, "NO_DIRECTOR", "set the director"), "director"],
    [new ApiError(409, "HOST_KEY_NOT_TRUSTED", "scan it"), "hosts"],
    [new ApiError(409, "SSH_HOST_KEY_NOT_TRUSTED", "not pinned"), "hosts"],
    [new ApiError(409, "SSH_HOST_KEY_MISMATCH", "changed"), "hosts"],
    [new ApiError(502, "SSH_AUTH_FAILED", "denied"), "hosts"],
    [new ApiError(504, "SSH_CONNECT_TIMEOUT", "timed out"), "retry"],
    [new ApiError(502, "ECONNRESET", "reset"), "retry"],
    [new ApiError(409, "CONFLICT", "changed", { planHash: "stale" }), "replan"],
    [new ApiError(409, "CONFLICT", "an apply is already running"), "replan"],
  ])("%s → %s", (error, next) => {
    expect(describeFailure(error).next).toBe(next);
  });

  it("words a stale plan for the operator", () => {
    const advice = describeFailure(new ApiError(409, "CONFLICT", "x", { planHash: "stale" }));
    expect(advice.message).toBe("The hosts or the cluster changed since this preview.");
  });
});
