import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, api } from "./client.ts";

function respond(status: number, body: unknown) {
  const text = body === undefined ? "" : JSON.stringify(body);
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(text === "" ? null : text, { status })),
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("api client", () => {
  it("returns the JSON body on success", async () => {
    respond(200, [{ id: "c1" }]);
    await expect(api.get("/clusters")).resolves.toEqual([{ id: "c1" }]);
    expect(fetch).toHaveBeenCalledWith("/api/clusters", expect.objectContaining({ method: "GET" }));
  });

  it("sends JSON bodies and resolves 204 to undefined", async () => {
    respond(204, undefined);
    await expect(api.delete("/services/s1")).resolves.toBeUndefined();
    respond(201, { id: "s1" });
    await api.post("/clusters/c1/services", { vip: "10.0.0.1" });
    const init = vi.mocked(fetch).mock.calls[0]?.[1];
    expect(init?.body).toBe('{"vip":"10.0.0.1"}');
    expect(init?.headers).toMatchObject({ "content-type": "application/json" });
  });

  it("throws an ApiError carrying status, code, message and fields", async () => {
    respond(409, {
      statusCode: 409,
      code: "CONFLICT",
      message: "tcp 10.0.0.1:80 already exists",
      fields: { port: "already exists" },
    });
    const error = await api.post("/clusters/c1/services", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: "CONFLICT",
      message: "tcp 10.0.0.1:80 already exists",
      fields: { port: "already exists" },
    });
  });

  it("copes with an error body that is not JSON", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("<html>", { status: 502 })),
    );
    await expect(api.get("/clusters")).rejects.toMatchObject({ status: 502, code: "HTTP_ERROR" });
  });

  it("turns a network failure into status 0", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Promise.reject(new TypeError("failed to fetch"))),
    );
    await expect(api.get("/clusters")).rejects.toMatchObject({ status: 0, code: "NETWORK" });
  });

  it("turns a 403 into a readable sentence", async () => {
    respond(403, { code: "FORBIDDEN", message: "this needs the operator role; you are viewer" });
    await expect(api.post("/clusters")).rejects.toMatchObject({
      status: 403,
      message:
        "Not allowed: this needs the operator role; you are viewer. Ask an admin if you need more access.",
    });
  });
});
