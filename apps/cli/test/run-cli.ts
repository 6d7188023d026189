import { join } from 'node:path';
import { runCli } from '../src/cli.ts';
import { scratchDir } from './scratch.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A user of the CLI: their own config directory, and their environment on every command. */
export const cliUser = (env: Record<string, string | undefined> = {}) => {
  const home = scratchDir('uncloud-cli-');
  const userEnv = { XDG_CONFIG_HOME: join(home, 'config'), ...env };
  const run = async (
    args: string[],
    options: {
      stdin?: string;
      /** Answers a terminal's question for a secret (as if typed); none: not a terminal. */
      secret?: string;
      env?: Record<string, string>;
      signal?: AbortSignal;
      /** Called with all of stdout so far, each time the command writes to it. */
      onStdout?: (stdout: string) => void;
    } = {},
  ) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: {
        write: (text: string) => {
          stdout += text;
          options.onStdout?.(stdout);
          return true;
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
      readStdin: () => Promise.resolve(options.stdin ?? ''),
      env: { ...userEnv, ...options.env },
      signal: options.signal,
      askSecret: options.secret === undefined ? undefined : () => Promise.resolve(options.secret!),
    });
    return { code, stdout, stderr } satisfies CliRun;
  };
  return { home, configPath: join(userEnv.XDG_CONFIG_HOME, 'uncloud', 'config.json'), run };
};
