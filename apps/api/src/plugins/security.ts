// Security headers on every response (helmet): a strict Content-Security-Policy for the SPA and
// the API docs, no framing, no sniffing, no referrer leaks. No CORS plugin is registered: other
// origins cannot read the API (CORS closed by default).
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

export default fp(async function securityPlugin(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Tailwind is a stylesheet, but virtualised lists and charts position with inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The panel is often served over plain HTTP on loopback; HSTS belongs to the TLS front.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
});
