import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ApiProvider, createQueryClient } from '../app/api-provider.tsx';
import { AppRoutes } from '../routes/app-routes.tsx';
import { createApiClient } from './trpc.ts';
import { fakeApi, projectId, whoami } from '../test/fake-api.ts';
import { droplet, dropletId, page } from '../test/fixtures.ts';

/** A change stream the test writes to, answered where the dashboard opens `events.watch`. */
const fakeStream = () => {
  let push: ((text: string) => void) | undefined;
  const opened: string[] = [];
  const respond = (url: string) => {
    opened.push(url);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(new TextEncoder().encode(text));
        push('event: connected\ndata: {}\n\n');
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  const send = (id: string, data: unknown) => push?.(`id: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
  return { respond, send, opened, ready: () => push !== undefined };
};

describe('the project change stream', () => {
  it('shows a droplet created elsewhere without a reload', async () => {
    sessionStorage.setItem('uncloud.token', 'secret-token');
    const stream = fakeStream();
    let created = false;
    const api = fakeApi({
      'auth.whoami': whoami,
      'droplets.list': () => page(created ? [droplet({ name: 'from-a-script' })] : []),
      'actions.list': page([]),
    });
    const fetch: typeof globalThis.fetch = (input, init) =>
      String(input).includes('events.watch')
        ? Promise.resolve(stream.respond(String(input)))
        : api(input, init);
    render(
      <ApiProvider
        client={createApiClient({ getToken: () => 'secret-token', url: 'http://api.test/trpc', fetch })}
        queryClient={createQueryClient()}
      >
        <MemoryRouter initialEntries={[`/p/${projectId}/droplets`]}>
          <AppRoutes />
        </MemoryRouter>
      </ApiProvider>,
    );
    expect(await screen.findByText('No droplets yet')).toBeTruthy();
    expect(stream.opened[0]).toContain(encodeURIComponent(projectId));

    created = true;
    stream.send('b.1', {
      type: 'change',
      kind: 'droplet',
      id: dropletId,
      projectId,
      state: 'pending',
      changed: [],
      change: 'created',
      at: new Date().toISOString(),
    });
    expect(await screen.findByText('from-a-script')).toBeTruthy();
  });
});
