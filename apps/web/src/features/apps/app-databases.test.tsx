import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, whoamiAs } from '../../test/fake-api.ts';
import { app, appId, database, databaseId, page } from '../../test/fixtures.ts';
import { callsTo, renderProjectRoutes } from '../../test/render.tsx';
import { AppDatabases } from './app-databases.tsx';

const routes = (a: ReturnType<typeof app>) => <Route path="apps/:appId" element={<AppDatabases app={a} />} />;

describe('attaching a database to an app', () => {
  it('attaches one of the project’s databases, showing the variable names it will give', async () => {
    const { fetch } = renderProjectRoutes(
      {
        'databases.list': page([database({ name: 'orders', engine: 'mysql' })]),
        'apps.attachDatabase': { data: app() },
      },
      `/p/${projectId}/apps/${appId}`,
      routes(app()),
    );
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Attach a database' });
    await within(form).findByRole('option', { name: 'orders (mysql)' });
    const prefix = within(form).getByLabelText('Variable prefix');
    // The names the pods will get, never values.
    expect(screen.getByText(/get DATABASE_URL, DATABASE_HOST, DATABASE_PORT/)).toBeTruthy();
    await user.clear(prefix);
    await user.type(prefix, 'orders');
    expect(screen.getByText(/must be upper-case letters/)).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Attach' })).toHaveProperty('disabled', true);
    await user.clear(prefix);
    await user.type(prefix, 'ORDERS');
    expect(
      screen.getByText(/ORDERS_URL, ORDERS_HOST, ORDERS_PORT, ORDERS_USER, ORDERS_PASSWORD, ORDERS_NAME/),
    ).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Attach' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'apps.attachDatabase')).toEqual([
        { projectId, id: appId, databaseId, envPrefix: 'ORDERS' },
      ]),
    );
  });

  it('lists attached databases by name with their variable names, and detaches one', async () => {
    const attached = app({
      databases: [{ databaseId, envPrefix: 'DATABASE', variables: ['DATABASE_URL', 'DATABASE_PASSWORD'] }],
    });
    const { fetch } = renderProjectRoutes(
      { 'databases.list': page([database({ name: 'orders' })]), 'apps.detachDatabase': { data: app() } },
      `/p/${projectId}/apps/${appId}`,
      routes(attached),
    );
    const list = await screen.findByRole('list', { name: 'Attached databases' });
    expect(within(list).getByText('DATABASE_URL DATABASE_PASSWORD')).toBeTruthy();
    expect(await screen.findByText('Every database of the project is attached.')).toBeTruthy();
    await userEvent.setup().click(await within(list).findByRole('button', { name: 'Detach orders' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'apps.detachDatabase')).toEqual([{ projectId, id: appId, databaseId }]),
    );
  });

  it('tells a viewer why they cannot attach, and offers no form', async () => {
    renderProjectRoutes(
      { 'auth.whoami': whoamiAs('viewer'), 'databases.list': emptyPage },
      `/p/${projectId}/apps/${appId}`,
      routes(app()),
    );
    expect(
      await screen.findByText("Viewers can't attach databases to apps — ask a project owner."),
    ).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Attach a database' })).toBeNull();
  });

  it('shows the API’s refusal in words', async () => {
    renderProjectRoutes(
      {
        'databases.list': page([database({ name: 'orders' })]),
        'apps.attachDatabase': {
          error: {
            message:
              "app api already has a variable DATABASE_URL; choose another prefix for database orders's variables",
            status: 400,
            data: { code: 'BAD_REQUEST', field: 'envPrefix' },
          },
        },
      },
      `/p/${projectId}/apps/${appId}`,
      routes(app()),
    );
    const form = await screen.findByRole('form', { name: 'Attach a database' });
    await userEvent.setup().click(within(form).getByRole('button', { name: 'Attach' }));
    expect((await screen.findByRole('alert')).textContent).toContain('choose another prefix');
  });
});
