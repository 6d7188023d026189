import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId } from '../../test/fake-api.ts';
import { app, appId } from '../../test/fixtures.ts';
import { renderProjectRoutes } from '../../test/render.tsx';
import { AppDetailPage } from './app-detail-page.tsx';

describe('the deploy dialog', () => {
  it('hides environment values until asked, as the app page does', async () => {
    renderProjectRoutes(
      { 'actions.list': emptyPage, 'apps.get': { data: app({ env: { DB_PASSWORD: 'hunter2' } }) } },
      `/p/${projectId}/apps/${appId}`,
      <Route path="apps/:appId" element={<AppDetailPage />} />,
    );
    const user = userEvent.setup();
    await user.click((await screen.findAllByRole('button', { name: 'Deploy' }))[0]!);
    const dialog = await screen.findByRole('dialog');
    const env = within(dialog).getByLabelText('Environment');
    expect((env as HTMLTextAreaElement).value).toBe('DB_PASSWORD=hunter2');
    expect(env.hasAttribute('data-masked')).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: 'Show values' }));
    expect(env.hasAttribute('data-masked')).toBe(false);
    expect(within(dialog).getByRole('button', { name: 'Hide values' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });
});
