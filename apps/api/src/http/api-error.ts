// Errors that carry their HTTP status, a stable code and, for bad input, the offending fields.
// Services throw these; the error plugin turns them into `{statusCode, code, message, fields}`.

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function notFound(what: string): ApiError {
  return new ApiError(404, "NOT_FOUND", `${what} not found`);
}

export function badField(field: string, reason: string): ApiError {
  return new ApiError(400, "VALIDATION", `${field}: ${reason}`, { [field]: reason });
}

export function conflict(message: string, fields?: Record<string, string>): ApiError {
  return new ApiError(409, "CONFLICT", message, fields);
}
