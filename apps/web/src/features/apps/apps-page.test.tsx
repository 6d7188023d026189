import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, type FakeAnswer } from '../../test/fake-api.ts';
import { action, app, appId, page } from '../../test/fixtures.ts';
import { callsTo, descriptionOf, renderProjectRoutes } from '../../test/render.tsx';
import { AppDetailPage } from './app-detail-page.tsx';
import { AppsPage } from './apps-page.tsx';

const routes = (
  <>
    <Route path="apps" element={<AppsPage />} />
    <Route path="apps/:appId" element={<AppDetailPage />} />
  </>
);

const renderAt = (path: string, answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) =>
  renderProjectRoutes({ 'actions.list': emptyPage, ...answers }, `/p/${projectId}${path}`, routes);

describe('apps', () => {
  it(
    'scales an app from its row, checks the number first, and shows the rollout until it is done',
    { timeout: 15_000 },
    async () => {
      let replicas = 2;
      let polls = 0;
      const started = action({
        type: 'scale',
        resourceKind: 'app',
        resourceId: appId,
        params: { replicas: 3 },
      });
      const { fetch } = renderAt('/apps', {
        'apps.list': () => page([app({ replicas, readyReplicas: polls > 1 ? replicas : 2 })]),
        'apps.scale': (input) => {
          replicas = (input as { replicas: number }).replicas;
          return { data: started };
        },
        'actions.get': () => {
          polls += 1;
          return { data: polls > 1 ? { ...started, status: 'completed' } : started };
        },
      });
      const user = userEvent.setup();

      const table = await screen.findByRole('table', { name: 'Apps' });
      expect(within(table).getByLabelText('2 of 2 replicas ready')).toBeTruthy();
      await user.click(within(table).getByRole('button', { name: 'Scale' }));

      const dialog = await screen.findByRole('dialog', { name: 'Scale api' });
      const input = within(dialog).getByLabelText('Replicas');
      await user.clear(input);
      await user.type(input, '51');
      await user.click(within(dialog).getByRole('button', { name: 'Scale' }));
      await waitFor(() => expect(descriptionOf(input)).toContain('must be at most 50'));
      expect(callsTo(fetch, 'apps.scale')).toEqual([]);

      await user.clear(input);
      await user.type(input, '2');
      await user.click(within(dialog).getByRole('button', { name: 'Scale' }));
      await waitFor(() =>
        expect(descriptionOf(input)).toContain('api already runs 2; choose another number'),
      );
      expect(callsTo(fetch, 'apps.scale')).toEqual([]);

      await user.clear(input);
      await user.type(input, '3');
      await user.click(within(dialog).getByRole('button', { name: 'Scale' }));

      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
      expect(callsTo(fetch, 'apps.scale')).toEqual([{ projectId, id: appId, replicas: 3 }]);
      const tray = screen.getByRole('region', { name: 'Actions' });
      expect(within(tray).getByText(/Scaling…/)).toBeTruthy();
      await waitFor(() => expect(within(tray).getByText(/Scaled/)).toBeTruthy(), { timeout: 5000 });
      await waitFor(() => expect(within(table).getByLabelText('3 of 3 replicas ready')).toBeTruthy());
    },
  );

  it('deploys only what changed and shows a bad image next to the image field', async () => {
    const { fetch } = renderAt(`/apps/${appId}`, {
      'apps.get': { data: app() },
      'apps.deploy': () => ({
        data: action({
          type: 'deploy',
          resourceKind: 'app',
          resourceId: appId,
          params: { image: 'nginx:1.28' },
        }),
      }),
      'actions.get': () => ({ data: action({ type: 'deploy', resourceKind: 'app', resourceId: appId }) }),
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Deploy' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deploy api' });
    const image = within(dialog).getByLabelText('Container image');
    await user.clear(image);
    await user.type(image, 'Nginx Latest');
    await user.click(within(dialog).getByRole('button', { name: 'Deploy' }));
    await waitFor(() => expect(descriptionOf(image)).toContain('must be a container image reference'));

    await user.clear(image);
    await user.type(image, 'nginx:1.28');
    await user.click(within(dialog).getByRole('button', { name: 'Deploy' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'apps.deploy')).toEqual([{ projectId, id: appId, image: 'nginx:1.28' }]),
    );
  });

  it('offers roll back only when there is an earlier image, and asks first', async () => {
    const { fetch } = renderAt(`/apps/${appId}`, {
      'apps.get': { data: app({ image: 'nginx:1.28', previousImage: 'nginx:1.27' }) },
      'apps.rollback': () => ({ data: action({ type: 'rollback', resourceKind: 'app', resourceId: appId }) }),
      'actions.get': () => ({ data: action({ type: 'rollback', resourceKind: 'app', resourceId: appId }) }),
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Roll back' }));
    const confirm = await screen.findByRole('alertdialog');
    expect(within(confirm).getByText(/from nginx:1.28 back to nginx:1.27/)).toBeTruthy();
    await user.click(within(confirm).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(callsTo(fetch, 'apps.rollback')).toEqual([{ projectId, id: appId }]));
  });

  it('says why roll back is not offered for an app never deployed twice', async () => {
    renderAt(`/apps/${appId}`, { 'apps.get': { data: app({ previousImage: null }) } });
    const rollBack = await screen.findByRole('button', { name: 'Roll back' });
    expect(rollBack.hasAttribute('disabled')).toBe(true);
    expect(rollBack.getAttribute('title')).toBe('No earlier image to return to');
  });

  it('shows how far a rollout got and keeps environment values hidden until asked', async () => {
    renderAt(`/apps/${appId}`, {
      'apps.get': {
        data: app({
          replicas: 4,
          readyReplicas: 4,
          updatedReplicas: 1,
          state: 'provisioning',
          env: { TOKEN: 's3cret' },
        }),
      },
    });
    expect(
      await screen.findByText(/^Rolling out: 1 of 4 replicas run the new version; 4 ready/),
    ).toBeTruthy();
    expect(screen.queryByText(/s3cret/)).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Show values' }));
    expect(screen.getByText('TOKEN=s3cret')).toBeTruthy();
  });

  const midDeploy = app({
    replicas: 4,
    readyReplicas: 8,
    availableReplicas: 8,
    updatedReplicas: 4,
    state: 'provisioning',
  });

  it('shows a surging rollout as progress of the desired replicas, and the app as active while it serves', async () => {
    renderAt('/apps', { 'apps.list': page([midDeploy]) });
    const table = await screen.findByRole('table', { name: 'Apps' });
    expect(within(table).queryByText(/8\/4/)).toBeNull();
    expect(
      within(table).getByLabelText('Rolling out: of 4 desired, 4 updated, 8 ready, 8 available'),
    ).toBeTruthy();
    expect(table.querySelector('span[data-state="active"]')).toBeTruthy();
    expect(table.querySelector('span[data-state="provisioning"]')).toBeNull();
  });

  it.each([
    ['active while old or new replicas serve', midDeploy, 'active'],
    [
      'provisioning while no replica is available yet',
      { ...midDeploy, availableReplicas: 0, readyReplicas: 0 },
      'provisioning',
    ],
  ])('shows the rollout on the detail page, and the app %s', async (_what, data, health) => {
    renderAt(`/apps/${appId}`, { 'apps.get': { data } });
    expect(await screen.findByText(/^Rolling out: 4 of 4 replicas run the new version/)).toBeTruthy();
    const header = screen.getByRole('heading', { level: 1 }).parentElement!;
    expect(header.querySelector('[data-state]')?.getAttribute('data-state')).toBe(health);
  });

  it('tells a viewer that environment values are hidden from them, naming the variables', async () => {
    renderAt(`/apps/${appId}`, {
      'apps.get': { data: app({ env: { DATABASE_URL: null, MODE: null }, envRedacted: true }) },
    });
    expect(await screen.findByText(/Values hidden: viewers see the names only/)).toBeTruthy();
    expect(screen.getByText(/^DATABASE_URL=/)).toBeTruthy();
    expect(screen.getAllByText('(hidden)')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Show values' })).toBeNull();
  });
});
