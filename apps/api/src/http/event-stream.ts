// Server-sent events: take the raw response over from Fastify and send the stream headers.
// Proxies must not buffer it (x-accel-buffering), or progress arrives all at once at the end.
import type { ServerResponse } from "node:http";
import type { FastifyReply } from "fastify";

export function openEventStream(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  return raw;
}
