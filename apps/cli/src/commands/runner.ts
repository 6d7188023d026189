import type { Command } from 'commander';
import type { RenderOptions } from '../output/render.ts';

/** What hand-written commands share with the program: how to run their work and show results. */
export interface CommandRunner {
  run(command: Command, work: () => Promise<void>): Promise<void>;
  /** A value as the command's `--output` and `--format` ask. */
  render(command: Command, value: unknown, overrides?: Partial<RenderOptions>): string;
}
