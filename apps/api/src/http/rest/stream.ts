import { isTrackedEnvelope } from '@trpc/server';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RestError } from '@uncloud/sdk/contract';

/**
 * A subscription's events as server-sent events: each event's `data` is one item as JSON, its `id`
 * the tracked id to resume from (`Last-Event-ID`). A failure after the stream began (access lost,
 * the server shutting down) is one last `error` event holding the REST error body.
 */
export const streamEvents = (
  c: Context,
  events: AsyncIterable<unknown>,
  controller: AbortController,
  failure: (cause: unknown) => RestError,
) =>
  streamSSE(
    c,
    async (stream) => {
      stream.onAbort(() => controller.abort());
      for await (const event of events) {
        if (isTrackedEnvelope(event)) {
          const [id, data] = event;
          await stream.writeSSE({ id: String(id), data: JSON.stringify(data) });
        } else {
          await stream.writeSSE({ data: JSON.stringify(event) });
        }
      }
    },
    async (cause, stream) => {
      await stream.writeSSE({ event: 'error', data: JSON.stringify(failure(cause)) });
    },
  );
