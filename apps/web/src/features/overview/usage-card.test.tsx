import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { callsTo } from '../../test/render.tsx';
import { projectId } from '../../test/fake-api.ts';
import { renderInProject, series } from './overview-test-api.tsx';
import { UsageCard } from './usage-card.tsx';
import { MAX_LINES, rankSeries, toChartRows } from './usage-series.ts';

const card = <UsageCard projectId={projectId} />;
const rowTexts = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((r) =>
      within(r)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    );

describe('UsageCard', () => {
  it('charts CPU and memory and lists each resource busiest first with its latest figures', async () => {
    const { container } = renderInProject(card, {
      'usage.list': {
        data: [
          series('droplet', 'dpl_0123456789abcdefghij', 'web-1', [
            [120, 300],
            [250, 512],
          ]),
          series('app', 'app_0123456789abcdefghij', 'api', [
            [900, 1024],
            [1500, 2048],
          ]),
        ],
      },
    });
    const table = await screen.findByRole('table', { name: 'Usage by resource' });
    expect(rowTexts(table)).toEqual([
      ['api', 'app', '1.5 vCPU', '2 GiB'],
      ['web-1', 'droplet', '0.25 vCPU', '512 MiB'],
    ]);
    expect(within(table).getByRole('link', { name: 'web-1' }).getAttribute('href')).toBe(
      `/p/${projectId}/droplets/dpl_0123456789abcdefghij`,
    );
    // The charts load on demand, after the table.
    expect(await screen.findByRole('img', { name: /^CPU over time/ }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByRole('img', { name: /^Memory over time/ })).toBeTruthy();
    // One line per resource in each of the two charts.
    await waitFor(() => expect(container.querySelectorAll('.recharts-line').length).toBe(4));
  });

  it('shows no "now" figures for a resource whose newest sample is older than the sampling period', async () => {
    renderInProject(card, {
      'usage.list': {
        data: [
          series('droplet', 'dpl_0123456789abcdefghij', 'stopped-1', [[900, 900]], 5),
          series('droplet', 'dpl_1123456789abcdefghij', 'web-1', [[120, 300]]),
        ],
      },
    });
    const table = await screen.findByRole('table', { name: 'Usage by resource' });
    const rows = rowTexts(table);
    expect(rows[0]).toEqual(['web-1', 'droplet', '0.12 vCPU', '300 MiB']);
    expect(rows[1]?.slice(0, 2)).toEqual(['stopped-1', 'droplet']);
    expect(rows[1]?.[2]).toMatch(/^not running now · last sampled \d\d:\d\d$/);
    expect(within(table).queryByText('0.9 vCPU')).toBeNull();
  });

  it('asks for another window when one is picked', async () => {
    const { fetch } = renderInProject(card);
    const user = userEvent.setup();
    await screen.findByText(/once the project runs a/);

    await user.click(screen.getByRole('button', { name: '6 hours' }));

    await waitFor(() => expect(callsTo(fetch, 'usage.list')).toContainEqual({ projectId, minutes: 360 }));
    expect(screen.getByRole('button', { name: '6 hours' }).getAttribute('aria-pressed')).toBe('true');
    expect(callsTo(fetch, 'usage.list')[0]).toEqual({ projectId, minutes: 60 });
  });

  it('says when resources exist but nothing has been sampled yet', async () => {
    renderInProject(card, {
      'usage.list': { data: [series('droplet', 'dpl_0123456789abcdefghij', 'web-1', [])] },
    });
    expect((await screen.findByRole('status')).textContent).toContain('No samples in this window yet');
    expect(rowTexts(screen.getByRole('table', { name: 'Usage by resource' }))).toEqual([
      ['web-1', 'droplet', 'not sampled yet'],
    ]);
  });

  it('shows why usage could not be loaded, with a retry', async () => {
    renderInProject(card, {
      'usage.list': { error: { message: 'usage is resting', status: 503, data: { code: 'UNAVAILABLE' } } },
    });
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert.textContent).toContain('usage is resting');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it(`draws at most ${MAX_LINES} lines, the busiest, and merges samples taken at different moments`, () => {
    const many = Array.from({ length: MAX_LINES + 2 }, (_, i) =>
      series('app', `app_${i}`, `app-${i}`, [[i * 10, 1]]),
    );
    const ranked = rankSeries(many);
    expect(ranked.filter((s) => s.color).map((s) => s.name)).toEqual([
      'app-7',
      'app-6',
      'app-5',
      'app-4',
      'app-3',
      'app-2',
    ]);

    const a = {
      ...series('app', 'a', 'a', [[1, 1]]),
      points: [{ at: '2026-01-01T00:00:00.000Z', cpuMillicores: 1, memoryMiB: 1 }],
    };
    const b = {
      ...series('app', 'b', 'b', [[2, 2]]),
      points: [{ at: '2026-01-01T00:00:10.000Z', cpuMillicores: 2, memoryMiB: 2 }],
    };
    expect(toChartRows([b, a], new Set(['a', 'b']), 'cpuMillicores')).toEqual([
      { at: Date.parse('2026-01-01T00:00:00.000Z'), a: 1 },
      { at: Date.parse('2026-01-01T00:00:10.000Z'), b: 2 },
    ]);
  });
});
