// The lvs-panel API as the browser tests see it: window.fetch answers from the routes a test gives,
// with real Response objects in the API's wire shapes, and every request is recorded so a test can
// assert what the component sent. Restored when the test ends; unknown routes fail the test.
import { expect, onTestFinished } from "vitest";

export interface ApiRequest {
  method: string;
  /** Path and query, e.g. `/api/realservers/rs-1`. */
  path: string;
  /** The parsed JSON body, if any. */
  body: unknown;
}

export interface ApiReply {
  status?: number;
  body?: unknown;
}

/** A fixed reply, or a function of the request (for state that changes, like a PATCH). */
export type ApiRoute = ApiReply | ((request: ApiRequest) => ApiReply);

export interface FakeApi {
  requests: ApiRequest[];
  /** The requests sent with this method to this path. */
  sent(method: string, path: string): ApiRequest[];
}

/** The API's error body (apps/api/src/plugins/errors.ts). */
export function apiError(
  statusCode: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
): ApiReply {
  return { status: statusCode, body: { statusCode, code, message, ...(fields ? { fields } : {}) } };
}

/** Serves `routes`, keyed `"METHOD /api/path"`, until the current test ends. */
export function fakeApi(routes: Record<string, ApiRoute>): FakeApi {
  const requests: ApiRequest[] = [];
  const unhandled: string[] = [];
  const realFetch = window.fetch;

  window.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    const method = (init?.method ?? "GET").toUpperCase();
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const request: ApiRequest = { method, path: `${url.pathname}${url.search}`, body };
    requests.push(request);
    const key = `${method} ${url.pathname}`;
    const route = routes[key];
    if (route === undefined) unhandled.push(key);
    const reply =
      route === undefined
        ? apiError(404, "NOT_FOUND", `no route ${key} in this test`)
        : typeof route === "function"
          ? route(request)
          : route;
    // Let the component see a pending request for a moment, as it would over the network.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { "content-type": "application/json" },
    });
  };

  onTestFinished(() => {
    window.fetch = realFetch;
    expect(unhandled, "requests the test gave no route for").toEqual([]);
  });

  return {
    requests,
    sent: (method, path) => requests.filter((r) => r.method === method && r.path === path),
  };
}
