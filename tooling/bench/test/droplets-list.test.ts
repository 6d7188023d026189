import { describe, expect, it } from 'vitest';
import { benchDropletsList } from '../src/droplets-list.ts';

// The list section compares the API's answer with the bare baseline's byte for byte before it
// measures anything. A field added to the droplet presenter and not to the baseline stops
// `npm run bench` at its first section; this runs that section small enough for `npm test`.
describe('the droplets.list section', () => {
  it('answers the same bytes from the API and the bare baseline, and measures both', async () => {
    const figures = await benchDropletsList({ listed: 4, creating: 2, connections: 2, durationSeconds: 1 });
    expect(figures.answerBytes).toBeGreaterThan(1000);
    expect(figures.baseline.errors + figures.idle.errors + figures.busy.errors).toBe(0);
    expect(figures.baseline.requestsPerSecond).toBeGreaterThan(0);
    expect(figures.idle.requestsPerSecond).toBeGreaterThan(0);
    expect(figures.statements.reservedIpsUs).toBeGreaterThan(0);
  });
});
