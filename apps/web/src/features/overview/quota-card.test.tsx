import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { projectId } from '../../test/fake-api.ts';
import { quota, renderInProject } from './overview-test-api.tsx';
import { QuotaCard } from './quota-card.tsx';

describe('QuotaCard', () => {
  it('sets each use against its limit and warns about the ones that are full', async () => {
    renderInProject(<QuotaCard projectId={projectId} />, {
      'quotas.get': { data: { ...quota({ droplets: 5, memoryMiB: 2048, databases: 10 }), databases: 10 } },
    });
    const table = await screen.findByRole('table', { name: 'Quota usage' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(rows).toEqual([
      ['Droplets', '5', '25', '20 %'],
      ['vCPUs', '0', '50', '0 %'],
      ['Memory', '2 GiB', '100 GiB', '2 %'],
      ['Volumes', '0 GiB', '1000 GiB', '0 %'],
      ['Apps', '0', '25', '0 %'],
      ['Databases', '10', '10', '100 %'],
    ]);
    expect(screen.getByText(/Limit reached for databases/)).toBeTruthy();
  });
});
