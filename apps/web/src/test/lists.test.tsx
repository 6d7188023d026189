import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ServerIcon } from 'lucide-react';
import { MemoryRouter, Route, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { DatabasesPage } from '../features/databases/databases-page.tsx';
import { DropletsPage } from '../features/droplets/droplets-page.tsx';
import { ResourceCounts } from '../features/overview/resource-counts.tsx';
import { emptyPage, projectId, type FakeAnswer } from './fake-api.ts';
import { database, droplet } from './fixtures.ts';
import { callsTo, renderProjectRoutes } from './render.tsx';

const web1 = droplet({ id: 'dpl_web1aaaaaaaaaaaaaaa' as never, name: 'web-1' });
const web2 = droplet({ id: 'dpl_web2aaaaaaaaaaaaaaa' as never, name: 'web-2' });
const db1 = droplet({ id: 'dpl_db1aaaaaaaaaaaaaaaa' as never, name: 'db-1', tags: ['db'] });

/** Shows where the page is, so that a test can read the address the list keeps its state in. */
function Address() {
  const location = useLocation();
  return <output aria-label="address">{location.pathname + location.search}</output>;
}

const renderDroplets = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>, path = '') =>
  renderProjectRoutes(
    { 'actions.list': emptyPage, 'sshKeys.list': emptyPage, 'volumes.list': emptyPage, ...answers },
    `/p/${projectId}/droplets${path}`,
    <Route
      path="droplets"
      element={
        <>
          <DropletsPage />
          <Address />
        </>
      }
    />,
  );

const listed = { data: { items: [web1, web2, db1], nextCursor: 'next-page', total: 57 } };

describe('lists that scale', () => {
  it('says which rows of how many it shows', async () => {
    renderDroplets({ 'droplets.list': listed });
    await screen.findByRole('table', { name: 'Droplets' });
    expect(screen.getByText('1–3 of 57')).toBeTruthy();
  });

  it('sorts by name on the server and keeps the order in the address', async () => {
    const { fetch } = renderDroplets({ 'droplets.list': listed });
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Droplets' });
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    await waitFor(() => expect(callsTo(fetch, 'droplets.list').at(-1)).toMatchObject({ sort: 'name' }));
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    await waitFor(() =>
      expect(callsTo(fetch, 'droplets.list').at(-1)).toMatchObject({ sort: 'name', order: 'desc' }),
    );
    expect(screen.getByLabelText('address').textContent).toContain('sort=name&order=desc');
  });

  it('sorts by size and state on the server, and by a size opened from the address', async () => {
    const { fetch } = renderDroplets({ 'droplets.list': listed }, '?sort=size&order=desc');
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Droplets' });
    expect(callsTo(fetch, 'droplets.list').at(-1)).toMatchObject({ sort: 'size', order: 'desc' });
    expect(screen.getByRole('columnheader', { name: /Size/ }).getAttribute('aria-sort')).toBe('descending');
    await user.click(screen.getByRole('button', { name: /^State/ }));
    await waitFor(() => expect(callsTo(fetch, 'droplets.list').at(-1)).toMatchObject({ sort: 'state' }));
    expect(screen.getByLabelText('address').textContent).toContain('sort=state');
    // Columns whose values the server cannot order (addresses, phase) are not offered.
    expect(screen.queryByRole('button', { name: /^Public IP/ })).toBeNull();
  });

  it('offers the same orders in a picker for phones, where rows are cards without headers', async () => {
    const { fetch } = renderDroplets({ 'droplets.list': listed });
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Droplets' });
    const picker = screen.getByRole('combobox', { name: 'Sort by' });
    expect((picker as HTMLSelectElement).value).toBe('createdAt:asc');
    await user.selectOptions(picker, 'size:desc');
    await waitFor(() =>
      expect(callsTo(fetch, 'droplets.list').at(-1)).toMatchObject({ sort: 'size', order: 'desc' }),
    );
    expect(screen.getByLabelText('address').textContent).toContain('sort=size&order=desc');
  });

  it('ignores a sort key the list has no column for', async () => {
    const { fetch } = renderDroplets({ 'droplets.list': listed }, '?sort=colour');
    await screen.findByRole('table', { name: 'Droplets' });
    expect(callsTo(fetch, 'droplets.list').at(-1)).not.toHaveProperty('sort');
  });

  it('filters by state, tag and name from the address it was opened at', async () => {
    const { fetch } = renderDroplets({ 'droplets.list': listed }, '?q=web&state=stopped&tag=db');
    await screen.findByRole('table', { name: 'Droplets' });
    expect(callsTo(fetch, 'droplets.list')[0]).toMatchObject({ name: 'web', state: 'stopped', tag: 'db' });
    expect((screen.getByRole('combobox', { name: 'State' }) as HTMLSelectElement).value).toBe('stopped');
  });

  it('changes the state filter and goes back to the first page', async () => {
    const { fetch } = renderDroplets({ 'droplets.list': listed });
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Droplets' });
    await user.click(screen.getByRole('button', { name: /Next/ }));
    await waitFor(() =>
      expect(callsTo(fetch, 'droplets.list').at(-1)).toMatchObject({ cursor: 'next-page' }),
    );
    expect(screen.getByText('51–53 of 57')).toBeTruthy();
    await user.selectOptions(screen.getByRole('combobox', { name: 'State' }), 'stopped');
    await waitFor(() =>
      expect(callsTo(fetch, 'droplets.list').at(-1)).toEqual({ projectId, limit: 50, state: 'stopped' }),
    );
  });

  it('deletes the selected rows together, after one confirmation naming them', async () => {
    const deleted: unknown[] = [];
    renderDroplets({
      'droplets.list': listed,
      'droplets.delete': (input) => {
        deleted.push((input as { id: string }).id);
        return { data: null };
      },
    });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Droplets' });
    await user.click(within(table).getByRole('checkbox', { name: 'Select droplet web-1' }));
    await user.click(within(table).getByRole('checkbox', { name: 'Select droplet db-1' }));
    await user.click(screen.getByRole('button', { name: 'Delete 2 droplets' }));
    const confirm = await screen.findByRole('alertdialog');
    expect(confirm.textContent).toContain('web-1, db-1');
    await user.click(within(confirm).getByRole('button', { name: 'Delete 2 droplets' }));
    await waitFor(() => expect(deleted.sort()).toEqual([db1.id, web1.id].sort()));
  });

  it('asks for the name to be typed before a database is deleted', async () => {
    renderProjectRoutes(
      {
        'actions.list': emptyPage,
        'databases.list': { data: { items: [database()], nextCursor: null, total: 1 } },
      },
      `/p/${projectId}/databases`,
      <Route path="databases" element={<DatabasesPage />} />,
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete database main' }));
    const confirm = await screen.findByRole('alertdialog');
    const button = within(confirm).getByRole('button', { name: 'Delete database' });
    expect(button).toHaveProperty('disabled', true);
    await user.type(within(confirm).getByLabelText(/Type main to confirm/), 'mai');
    expect(button).toHaveProperty('disabled', true);
    await user.type(within(confirm).getByLabelText(/Type main to confirm/), 'n');
    expect(button).toHaveProperty('disabled', false);
  });
});

describe('the overview counts', () => {
  it('counts every resource the server counts, not the first page', () => {
    const query = {
      isPending: false,
      isError: false,
      data: { items: [web1, web2], nextCursor: 'more', total: 57 },
    };
    render(
      <MemoryRouter>
        <ResourceCounts kinds={[{ label: 'Droplets', to: 'droplets', icon: ServerIcon, query }]} />
      </MemoryRouter>,
    );
    expect(screen.getByLabelText('Droplets: 57')).toBeTruthy();
  });
});
