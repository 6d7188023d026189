import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.ts';

const stream = () => {
  const writes: string[] = [];
  return { writes, write: (text: string) => writes.push(text) };
};

describe('progress', () => {
  it('prints one plain line per change of state when not on a terminal', () => {
    const out = stream();
    const progress = createProgress(out, 'droplet web-1', false);
    progress.update('pending');
    progress.update('pending');
    progress.update('active');
    progress.done('active');
    expect(out.writes.join('')).toMatch(
      /^droplet web-1: pending\ndroplet web-1: active\ndroplet web-1: done after \d+s\n$/,
    );
  });

  it('redraws one line in place on a terminal, and ends it with the outcome', () => {
    const out = stream();
    const progress = createProgress(out, 'app shop', true);
    progress.update('deploy in-progress');
    progress.done('deploy completed');
    // Carriage return and "erase line", then the line itself.
    const redraw = '\r\u001b[K';
    expect(out.writes[0]!.startsWith(redraw)).toBe(true);
    expect(out.writes[0]!.slice(redraw.length)).toMatch(/^. app shop: deploy in-progress \(\d+s\)$/);
    expect(out.writes.at(-1)).toBe(`${redraw}app shop: deploy completed (0s)\n`);
    expect(out.writes.join('')).not.toMatch(/\n.*\n/);
  });
});
