import { execFile } from 'node:child_process';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion and reports how it ended, failing or not. npm's own variables are
 * dropped: inherited from the workspace's `npm test`, they would point the child at the workspace.
 */
export const run = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  new Promise<Run>((resolve) => {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'),
    );
    execFile(
      command,
      args,
      { cwd, env: { ...inherited, ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

/** Like `run`, but a failure is an error that shows what the command printed. */
export const runOk = async (
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
) => {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
};
