import { secureHeaders } from 'hono/secure-headers';

/**
 * Security headers on every answer. The policy fits the built dashboard: scripts and styles from
 * our own origin only (the theme script is a file for that reason), inline styles allowed because
 * dialogs inject a `<style>` element and charts set style attributes, no framing by anyone.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: true,
    referrerPolicy: 'no-referrer',
    // Uncloud may well be served over plain HTTP on a private network; HSTS is the TLS proxy's call.
    strictTransportSecurity: false,
  });
