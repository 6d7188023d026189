import type { UsagePoint, UsageSeries } from '@uncloud/sdk';

/** More lines than this make a chart unreadable; the busiest are drawn, the rest listed. */
export const MAX_LINES = 6;

export const chartColors = [1, 2, 3, 4, 5, 6].map((n) => `var(--chart-${n})`);

export type UsageMetric = 'cpuMillicores' | 'memoryMiB';

export interface ChartSeries {
  id: string;
  name: string;
  kind: UsageSeries['resourceKind'];
  /** Null for the resources not drawn. */
  color: string | null;
  /** The newest sample in the window, however old: the chart draws the history up to it. */
  latest: UsagePoint | null;
  /** The figure for "now": null once the resource has missed a sampling round (stopped, scaled to 0). */
  current: UsagePoint | null;
}

const latestOf = (s: UsageSeries) => s.points.at(-1) ?? null;

/** Every resource, busiest first; the first `MAX_LINES` with samples get a colour and a line. */
export const rankSeries = (series: readonly UsageSeries[]): ChartSeries[] => {
  // Running resources first, by what they use now; then those with only a history.
  const rankOf = (s: UsageSeries) => s.current ?? (latestOf(s) ? { cpuMillicores: -1, memoryMiB: -1 } : null);
  const ranked = [...series].sort((a, b) => {
    const la = rankOf(a);
    const lb = rankOf(b);
    if (!la || !lb) return la ? -1 : lb ? 1 : a.name.localeCompare(b.name);
    return lb.cpuMillicores - la.cpuMillicores || lb.memoryMiB - la.memoryMiB || a.name.localeCompare(b.name);
  });
  let drawn = 0;
  return ranked.map((s) => {
    const latest = latestOf(s);
    const color = latest && drawn < MAX_LINES ? (chartColors[drawn++] ?? null) : null;
    return { id: s.resourceId, name: s.name, kind: s.resourceKind, color, latest, current: s.current };
  });
};

export type ChartRow = { at: number } & Record<string, number>;

/**
 * One row per sample time with a column per resource, for Recharts. Resources sampled at other
 * moments leave gaps in each other's rows, which the lines bridge.
 */
export const toChartRows = (
  series: readonly UsageSeries[],
  ids: ReadonlySet<string>,
  metric: UsageMetric,
): ChartRow[] => {
  const rows = new Map<number, ChartRow>();
  for (const s of series) {
    if (!ids.has(s.resourceId)) continue;
    for (const point of s.points) {
      const at = Date.parse(point.at);
      const row = rows.get(at) ?? ({ at } as ChartRow);
      row[s.resourceId] = point[metric];
      rows.set(at, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.at - b.at);
};

/** 250 millicores → "0.25 vCPU"; small figures keep three decimals so that idle is not 0. */
export const formatCpu = (millicores: number) => {
  const cores = millicores / 1000;
  return `${+cores.toFixed(cores < 0.1 ? 3 : 2)} vCPU`;
};

const clock = (withSeconds: boolean) => (ms: number) =>
  new Date(ms).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });

/** Times on the axis: with seconds while the samples span only a few minutes, else hours and minutes. */
export const clockFormatFor = (rows: readonly ChartRow[]) => {
  const span = rows.length > 1 ? rows[rows.length - 1]!.at - rows[0]!.at : 0;
  return clock(span < 10 * 60_000);
};
