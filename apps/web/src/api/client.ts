// The one way the SPA talks to the API: JSON in, JSON out, every failure an ApiError.

/** A failed API call, carrying the API's error body (`{statusCode, code, message, fields?}`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Per-field messages keyed by the request body's property path, e.g. `vip`, `auth.privateKey`. */
  readonly fields: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toApiError(status: number, statusText: string, body: unknown): ApiError {
  if (!isRecord(body)) return new ApiError(status, "HTTP_ERROR", statusText || `HTTP ${status}`);
  const code = typeof body.code === "string" ? body.code : "HTTP_ERROR";
  const message =
    typeof body.message === "string" && body.message !== ""
      ? body.message
      : statusText || `HTTP ${status}`;
  const fields: Record<string, string> = {};
  if (isRecord(body.fields)) {
    for (const [key, value] of Object.entries(body.fields)) {
      if (typeof value === "string") fields[key] = value;
    }
  }
  return new ApiError(
    status,
    code,
    code === "FORBIDDEN" ? forbiddenMessage(message) : message,
    fields,
  );
}

/** "this needs the operator role; you are viewer" → a sentence a person can act on. */
function forbiddenMessage(message: string): string {
  const text = message.trim().replace(/\.$/, "");
  return `Not allowed: ${text}. Ask an admin if you need more access.`;
}

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers: { accept: "application/json" },
  };
  if (body !== undefined) {
    init.headers = { ...init.headers, "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch {
    throw new ApiError(
      0,
      "NETWORK",
      "Cannot reach the lvs-panel server. Check that it is running.",
    );
  }
  const text = await response.text();
  let parsed: unknown;
  if (text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) throw toApiError(response.status, response.statusText, parsed);
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  delete: <T = void>(path: string) => request<T>("DELETE", path),
};
