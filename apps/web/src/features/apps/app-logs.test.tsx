import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { projectId } from '../../test/fake-api.ts';
import { app, appId } from '../../test/fixtures.ts';
import { callsTo, renderProjectRoutes } from '../../test/render.tsx';
import { AppLogs } from './app-logs.tsx';

const routes = <Route path="apps/:appId" element={<AppLogs app={app()} />} />;
const replicas = ['api-5d8f-aaaaa', 'api-5d8f-bbbbb'].map((pod) => ({
  pod,
  phase: 'Running',
  ready: true,
  restarts: 0,
  startedAt: '2026-12-02T13:00:00Z',
}));
const line = (pod: string, text: string, at = '2026-12-02T13:00:01Z') => ({ pod, at, text });

describe("an app's logs", () => {
  it('shows every replica’s lines in mono, and asks for one replica and another tail size', async () => {
    const { fetch } = renderProjectRoutes(
      {
        'apps.logs': (input) => {
          const pod = (input as { pod?: string }).pod;
          const all = [line(replicas[0]!.pod, 'starting api:1'), line(replicas[1]!.pod, 'GET / 200 3ms')];
          return { data: { replicas, lines: all.filter((l) => !pod || l.pod === pod) } };
        },
      },
      `/p/${projectId}/apps/${appId}`,
      routes,
    );
    const log = await screen.findByRole('log', { name: 'App log lines' });
    await within(log).findByText('starting api:1');
    expect(within(log).getByText('GET / 200 3ms')).toBeTruthy();
    // Which replica wrote a line, when there are several.
    expect(within(log).getByText(`${replicas[1]!.pod}`, { exact: false })).toBeTruthy();
    expect(log.className).toContain('font-mono');
    expect(callsTo(fetch, 'apps.logs')[0]).toEqual({ projectId, id: appId, tailLines: 200 });

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Replica'), replicas[1]!.pod);
    await waitFor(() => expect(within(log).queryByText('starting api:1')).toBeNull());
    await user.selectOptions(screen.getByLabelText('Last lines'), '1000');
    await waitFor(() =>
      expect(callsTo(fetch, 'apps.logs').at(-1)).toEqual({
        projectId,
        id: appId,
        tailLines: 1000,
        pod: replicas[1]!.pod,
      }),
    );
    expect(screen.getByRole('button', { name: 'Copy logs' })).toBeTruthy();
  });

  it('says plainly when the cluster cannot be reached (after the usual retries)', async () => {
    renderProjectRoutes(
      {
        'apps.logs': {
          error: {
            message: 'the cluster cannot be reached right now; try again shortly',
            status: 503,
            data: { code: 'UNAVAILABLE' },
          },
        },
      },
      `/p/${projectId}/apps/${appId}`,
      routes,
    );
    expect((await screen.findByRole('alert', {}, { timeout: 6000 })).textContent).toMatch(
      /cluster cannot be reached/,
    );
  });

  it('tells that no replica runs when the app has none', async () => {
    renderProjectRoutes(
      { 'apps.logs': { data: { replicas: [], lines: [] } } },
      `/p/${projectId}/apps/${appId}`,
      routes,
    );
    expect(await screen.findByText(/No replica is running/)).toBeTruthy();
  });
});
