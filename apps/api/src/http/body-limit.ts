import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorAnswer } from './error-answer.ts';

const size = (bytes: number) =>
  bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;

/**
 * Refuses request bodies over `maxBytes` with 413: at once when `Content-Length` says so, else as
 * soon as the streamed body passes the limit. Nothing past the limit is kept, and the answer says
 * `Connection: close`: the rest of the body is never read, so the connection cannot carry another
 * request (a client that reused it would find it closed under its next call).
 */
export const limitBodies = (
  maxBytes: number,
  /** The refusal in the shape of the door it guards (tRPC's by default; `/api/v1` has its own). */
  answer: (c: Context, message: string) => Response = (_c, message) =>
    errorAnswer('PAYLOAD_TOO_LARGE', message, { connection: 'close' }),
): MiddlewareHandler =>
  bodyLimit({
    maxSize: maxBytes,
    onError: (c) => answer(c, `Request bodies are limited to ${size(maxBytes)} (UNCLOUD_MAX_BODY_BYTES)`),
  });
