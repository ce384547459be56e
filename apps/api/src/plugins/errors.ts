// One place that maps every error to a response: schema failures and domain errors to 4xx with the
// field, database constraint errors to 404/409, and anything unexpected to a masked 500 (logged).

import { RemoteError } from "@lvs-panel/remote";
import type { FastifyError, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { Prisma } from "../generated/prisma/client.ts";
import { DomainError, type DomainErrorKind, hostFailure } from "../services/errors.ts";

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  host_failed: 502,
  host_timeout: 504,
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

export default fp(async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const body = toErrorBody(err);
    if (body.statusCode >= 500) request.log.error({ err }, "unhandled error");
    return reply.code(body.statusCode).send(body);
  });
});

function toErrorBody(thrown: FastifyError): ErrorBody {
  // SSH failures are the remote host's problem, not the panel's: 502/504 with the SSH layer's
  // message (which says what went wrong and where), never a masked 500.
  const err = thrown instanceof RemoteError ? hostFailure(thrown) : thrown;
  if (err instanceof DomainError) {
    return {
      statusCode: STATUS[err.kind],
      code: err.code,
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields: Record<string, string> = {};
    for (const issue of err.validation) {
      // A problem with the whole body (or query) is named after it, not after "".
      const field =
        issue.instancePath.replace(/^\//, "").replaceAll("/", ".") ||
        (err.validationContext ?? "body");
      fields[field] ??= issue.message ?? "is invalid";
    }
    const message = Object.entries(fields)
      .map(([field, reason]) => `${field}: ${reason}`)
      .join("; ");
    return { statusCode: 400, code: "VALIDATION", message, fields };
  }
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (err.code === "P2002") return { statusCode: 409, code: "CONFLICT", ...uniqueConflict(err) };
    if (err.code === "P2025") return { statusCode: 404, code: "NOT_FOUND", message: "not found" };
    if (err.code === "P2003") {
      return { statusCode: 409, code: "IN_USE", message: "still in use by another record" };
    }
  }
  if (isNulInText(err)) {
    return {
      statusCode: 400,
      code: "INVALID_TEXT",
      message: "text must not contain the NUL character (\\u0000)",
    };
  }
  const status = (err as FastifyError).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return { statusCode: status, code: err.code ?? "BAD_REQUEST", message: err.message };
  }
  return { statusCode: 500, code: "INTERNAL", message: "internal error (logged on the server)" };
}

// A unique constraint the services' own checks did not catch (two requests racing): say what
// exists, on the field the form shows, from the model and fields Prisma names. The nouns: every
// model with a unique constraint, as a sentence names one of its rows.
const MODEL_NOUNS: Record<string, string> = {
  User: "a user",
  Session: "a session",
  ApiToken: "an API token",
  Host: "a host",
  Cluster: "a cluster",
  Director: "a director",
  VirtualService: "a service",
  RealServer: "a realserver",
  OwnedService: "an owned service",
};

/** "clusterId" → "cluster", "directorHostId" → "director host". */
function parentName(field: string): string {
  return field
    .replace(/Id$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

function listed(items: readonly string[]): string {
  return items.length < 2
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The unique fields: meta.target from the query engine, or the driver adapter's constraint. */
function uniqueFields(meta: Record<string, unknown> | undefined): string[] {
  const target = meta?.target;
  if (Array.isArray(target)) return target.map(String);
  const adapter = meta?.driverAdapterError as
    | { cause?: { constraint?: { fields?: unknown } } }
    | undefined;
  const fields = adapter?.cause?.constraint?.fields;
  return Array.isArray(fields) ? fields.map(String) : [];
}

function uniqueConflict(
  err: Prisma.PrismaClientKnownRequestError,
): Pick<ErrorBody, "message" | "fields"> {
  const model = typeof err.meta?.modelName === "string" ? err.meta.modelName : null;
  const noun = (model ? MODEL_NOUNS[model] : undefined) ?? "a record";
  const fields = uniqueFields(err.meta);
  if (fields.length === 0) return { message: `${noun} with these values already exists` };
  // References to a parent ("clusterId") say where; the others are what is duplicated.
  const parents = fields.filter((f) => /Id$/.test(f));
  const own = fields.filter((f) => !/Id$/.test(f));
  const where = parents.map((f) => ` in this ${parentName(f)}`).join("");
  const message =
    own.length > 0
      ? `${noun} with this ${listed(own)} already exists${where}`
      : `${noun} already exists${where}`;
  const field = own.at(-1) ?? parents.at(-1) ?? "body";
  return { message, fields: { [field]: message } };
}

/**
 * PostgreSQL cannot store U+0000 in text (SQLite can), and refuses a query that carries one
 * (SQLSTATE 22021), even a lookup by id: bad input, not a server fault.
 */
function isNulInText(err: unknown): boolean {
  const cause = (err as { name?: unknown; cause?: { kind?: unknown; code?: unknown } }).cause;
  return (
    (err as { name?: unknown }).name === "DriverAdapterError" &&
    cause?.kind === "postgres" &&
    cause.code === "22021"
  );
}
