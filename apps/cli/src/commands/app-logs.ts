import type { Command } from 'commander';
import { manifest } from '../contract/manifest.ts';
import { planOf, type Invocation } from './procedure-commands.ts';

// `uncloud app logs <app> [--follow]`: the recent lines (apps.logs), or with --follow the lines as
// the replicas write them (the apps.followLogs subscription), one line of text per log line.

const LOGS = 'apps.logs';
const FOLLOW = 'apps.followLogs';

/** Gives `app logs` its `--follow` flag (as `kubectl logs -f`). */
export const addLogsFollow = (program: Command) => {
  const logs = program.commands.find((c) => c.name() === 'app')?.commands.find((c) => c.name() === 'logs');
  logs?.option('-f, --follow', 'keep printing new lines as the replicas write them, until interrupted');
};

/** The followed stream instead of the recent lines when `--follow` is given. */
export const withFollow = (command: Command, invocation: Invocation): Invocation =>
  invocation.plan.path === LOGS && command.opts<{ follow?: boolean }>().follow
    ? { ...invocation, plan: planOf(FOLLOW, manifest.procedures[FOLLOW]!) }
    : invocation;

interface LogLine {
  pod: string;
  at: string | null;
  text: string;
}

/** `shop-7d9f…-x7k2p 2026-12-02T13:59:04.100Z GET / 200 3ms`: pod, time, text. */
export const formatLogLine = (line: LogLine) => `${line.pod} ${line.at ?? '-'} ${line.text}\n`;

/** Whether the answer is log lines, printed as text rather than a table. */
export const isLogs = (path: string) => path === LOGS || path === FOLLOW;

/** The recent lines as text (the replicas are in `-o json`). */
export const formatLogs = (result: unknown) =>
  ((result as { lines?: LogLine[] } | undefined)?.lines ?? []).map(formatLogLine).join('');
