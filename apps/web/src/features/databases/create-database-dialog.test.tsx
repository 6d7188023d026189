import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { databaseEngines, databaseSizes } from '@uncloud/sdk';
import { describe, expect, it } from 'vitest';
import { projectId } from '../../test/fake-api.ts';
import { database } from '../../test/fixtures.ts';
import { callsTo, descriptionOf, renderWithApi } from '../../test/render.tsx';
import { CreateDatabaseDialog } from './create-database-dialog.tsx';

const options = { data: { engines: databaseEngines, sizes: databaseSizes } };

const renderDialog = () =>
  renderWithApi(
    { 'databaseOptions.list': options, 'databases.create': { data: database() } },
    <CreateDatabaseDialog projectId={projectId} open onOpenChange={() => {}} />,
  );

describe('CreateDatabaseDialog nodes', () => {
  it('offers several nodes for PostgreSQL, whose standbys replicate', async () => {
    renderDialog();
    const nodes = await screen.findByLabelText('Nodes');
    expect(nodes.tagName).toBe('INPUT');
    expect(nodes.getAttribute('max')).toBe('3');
    expect(descriptionOf(nodes)).toContain('more nodes keep a standby ready');
  });

  it.each([
    ['MySQL', 'mysql'],
    ['Valkey', 'valkey'],
  ])(
    'offers only 1 node for %s, with the reason, and brings a larger count down to 1',
    async (label, engine) => {
      const { fetch } = renderDialog();
      const user = userEvent.setup();
      await user.type(screen.getByLabelText('Name'), 'shop');
      const postgresNodes = await screen.findByLabelText('Nodes');
      await user.clear(postgresNodes);
      await user.type(postgresNodes, '3');

      await user.selectOptions(screen.getByLabelText('Engine'), label);
      const nodes = screen.getByLabelText('Nodes');
      expect(nodes.tagName).toBe('SELECT');
      expect(
        within(nodes)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['1']);
      expect((nodes as HTMLSelectElement).value).toBe('1');
      expect(descriptionOf(nodes)).toContain(`${label} runs 1 node: Uncloud does not replicate ${label} yet`);

      await user.click(screen.getByRole('button', { name: 'Create database' }));
      await waitFor(() =>
        expect(callsTo(fetch, 'databases.create')).toEqual([
          expect.objectContaining({ engine, nodes: 1, name: 'shop' }),
        ]),
      );
    },
  );
});
