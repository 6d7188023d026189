import { screen, within } from '@testing-library/react';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { projectId, whoamiAs } from '../../test/fake-api.ts';
import { action, app, appId, page } from '../../test/fixtures.ts';
import { renderProjectRoutes } from '../../test/render.tsx';
import { DeploymentHistory } from './deployment-history.tsx';

const routes = <Route path="apps/:appId" element={<DeploymentHistory app={app()} />} />;
const at = '2026-12-02T13:00:00.000Z';
const actions = page([
  action({
    id: 'act_aaaaaaaaaaaaaaaaaaaa' as never,
    type: 'rollback',
    resourceKind: 'app',
    resourceId: appId,
    status: 'errored',
    error: 'image pull failed',
    params: { image: 'nginx:1.27', from: 'nginx:1.28' },
    startedAt: '2026-12-02T14:00:00.000Z',
  }),
  action({ type: 'scale', resourceKind: 'app', resourceId: appId, params: { replicas: 3 } }),
  action({
    id: 'act_bbbbbbbbbbbbbbbbbbbb' as never,
    type: 'deploy',
    resourceKind: 'app',
    resourceId: appId,
    status: 'completed',
    params: { image: 'nginx:1.28' },
    startedAt: at,
  }),
]);
const audit = page([
  {
    id: 'aud_0123456789abcdefghij',
    at: '2026-12-02T13:00:00.400Z',
    actor: { id: 'usr_0123456789abcdefghij', name: 'grace' },
    tokenId: null,
    tokenPrefix: null,
    procedure: 'apps.deploy',
    projectId,
    resourceId: appId,
    outcome: 'ok',
    errorCode: null,
    requestId: null,
  },
]);

describe("an app's deployment history", () => {
  it('lists deploys and rollbacks, newest first, with image, actor and outcome', async () => {
    renderProjectRoutes(
      { 'actions.list': actions, 'audit.list': audit },
      `/p/${projectId}/apps/${appId}`,
      routes,
    );
    const table = await screen.findByRole('table', { name: 'Deployment history' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toMatch(/rollback.*nginx:1\.27.*Failed: image pull failed/);
    await within(rows[1]!).findByText('grace');
    expect(rows[1]!.textContent).toMatch(/deploy.*nginx:1\.28.*grace.*Succeeded/);
  });

  it('tells a viewer that owners see who deployed, without reading the activity log', async () => {
    const { fetch } = renderProjectRoutes(
      { 'auth.whoami': whoamiAs('viewer'), 'actions.list': actions },
      `/p/${projectId}/apps/${appId}`,
      routes,
    );
    const table = await screen.findByRole('table', { name: 'Deployment history' });
    await within(table).findAllByText('owners see who');
    expect(fetch.mock.calls.some(([url]) => String(url).includes('audit.list'))).toBe(false);
  });
});
