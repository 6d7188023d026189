import { describe, expect, it } from 'vitest';
import { envProblem } from './env-lines.ts';

describe('envProblem', () => {
  it('accepts KEY=value lines, comments and blank lines', () => {
    expect(envProblem('A=1\n\n# note\nB_2=x=y')).toBeNull();
  });

  it('names the line of a name the API refuses', () => {
    expect(envProblem('A=1\n1BAD=x')).toBe(
      'Line 2: "1BAD" is not a valid name; environment variable names are letters, digits and "_", not starting with a digit.',
    );
  });

  it('refuses a name given twice, naming both lines', () => {
    expect(envProblem('A=1\nB=2\nA=3')).toBe('Line 3 sets A again (line 1); keep one of them.');
  });

  it('refuses a line with a value and no name', () => {
    expect(envProblem('=x')).toBe('Line 1 has no name before "=": write NAME=value.');
  });
});
