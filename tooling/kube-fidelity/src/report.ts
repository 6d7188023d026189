// The report: a plain table (probe | sim | real | agree?), the figure line, Markdown, JSON.
import type { ProbeResult, ProbeRun } from './runner.ts';

export interface Figure {
  agree: number;
  total: number;
  divergences: number;
  harnessErrors: number;
}

export interface RunInfo {
  measuredAt: string;
  seconds: number;
  sim: { version: string; startSeconds: number };
  real: { version: string; startSeconds: number };
}

export function figureOf(results: ProbeResult[]): Figure {
  const agree = results.filter((r) => r.comparison.agree).length;
  const harnessErrors = results.filter((r) => r.sim.error !== undefined || r.real.error !== undefined).length;
  return { agree, total: results.length, divergences: results.length - agree, harnessErrors };
}

export const figureLine = (f: Figure) =>
  `fidelity: ${f.agree} of ${f.total} probes agree, ${f.divergences} divergences`;

/** One cell: `201`, `422 Invalid`, `exit 1`, `ERROR`. */
export function summary(run: ProbeRun): string {
  if (run.error !== undefined) return 'ERROR';
  const o = run.observation;
  if (!o) return '-';
  if (o.status === null) return 'timeout';
  if (o.fields && 'stdout' in o.fields) return `exit ${o.status}`;
  return o.reason ? `${o.status} ${o.reason}` : String(o.status);
}

const pad = (s: string, n: number) => (s.length >= n ? `${s.slice(0, n - 1)}… ` : s.padEnd(n));

export function textReport(results: ProbeResult[], info: RunInfo): string {
  const w = { name: Math.max(5, ...results.map((r) => r.name.length)) + 2, cell: 24 };
  const lines = [
    `${pad('probe', w.name)}${pad('sim', w.cell)}${pad('real', w.cell)}agree?`,
    '-'.repeat(w.name + 2 * w.cell + 6),
  ];
  for (const r of results)
    lines.push(
      `${pad(r.name, w.name)}${pad(summary(r.sim), w.cell)}${pad(summary(r.real), w.cell)}${r.comparison.agree ? 'yes' : 'NO'}`,
    );
  const diverging = results.filter((r) => !r.comparison.agree);
  if (diverging.length > 0) {
    lines.push('', 'divergences:');
    for (const r of diverging) lines.push(`  ${r.name}: ${r.comparison.agree ? '' : r.comparison.diff}`);
  }
  const errors = results.filter((r) => r.sim.error !== undefined || r.real.error !== undefined);
  if (errors.length > 0) {
    lines.push('', 'harness errors:');
    for (const r of errors) {
      if (r.sim.error) lines.push(`  ${r.name} (sim): ${r.sim.error}`);
      if (r.real.error) lines.push(`  ${r.name} (real): ${r.real.error}`);
    }
  }
  lines.push(
    '',
    `sim ${info.sim.version} (ready in ${info.sim.startSeconds.toFixed(1)} s) vs real ${info.real.version} (ready in ${info.real.startSeconds.toFixed(1)} s); ${info.seconds.toFixed(0)} s in all`,
    figureLine(figureOf(results)),
  );
  return lines.join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownReport(results: ProbeResult[], info: RunInfo): string {
  const f = figureOf(results);
  const lines = [
    '# Simulator fidelity report',
    '',
    `Measured ${info.measuredAt}: simulated cluster (${info.sim.version}) vs kube-real (${info.real.version}), ${info.seconds.toFixed(0)} s.`,
    '',
    `**${figureLine(f)}**${f.harnessErrors > 0 ? ` (${f.harnessErrors} harness errors)` : ''}`,
    '',
    '| probe | area | sim | real | agree? |',
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| \`${r.name}\` | ${r.area} | ${md(summary(r.sim))} | ${md(summary(r.real))} | ${r.comparison.agree ? 'yes' : '**no**'} |`,
    ),
  ];
  const diverging = results.filter((r) => !r.comparison.agree);
  if (diverging.length > 0) {
    lines.push('', '## Divergences', '', '| probe | what it checks | diff |', '| --- | --- | --- |');
    for (const r of diverging)
      lines.push(
        `| \`${r.name}\` | ${md(r.description)} | ${md(r.comparison.agree ? '' : r.comparison.diff)} |`,
      );
  }
  return lines.join('\n');
}

export function jsonReport(results: ProbeResult[], info: RunInfo): object {
  return {
    ...info,
    figure: figureOf(results),
    probes: results.map((r) => ({
      name: r.name,
      area: r.area,
      description: r.description,
      agree: r.comparison.agree,
      diff: r.comparison.agree ? undefined : r.comparison.diff,
      sim: r.sim,
      real: r.real,
    })),
  };
}
