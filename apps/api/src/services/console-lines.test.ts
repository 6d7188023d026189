import { describe, expect, it } from 'vitest';
import { consoleLines } from './droplets.ts';

describe('consoleLines', () => {
  it('splits on any line ending, drops escape sequences and trailing blank lines', () => {
    expect(consoleLines('\u001b[0;32m[  OK  ]\u001b[0m Started ssh\r\nline two\rthree\n\r\n\r\n')).toEqual([
      '[  OK  ] Started ssh',
      'line two',
      'three',
    ]);
  });

  it('keeps the last thousand lines', () => {
    const lines = consoleLines(Array.from({ length: 1500 }, (_, i) => `l${i}`).join('\n'));
    expect(lines).toHaveLength(1000);
    expect(lines[0]).toBe('l500');
  });

  it('is empty for nothing printed', () => {
    expect(consoleLines('')).toEqual([]);
  });
});
