import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { clockFormatFor, type ChartRow, type ChartSeries } from './usage-series.ts';

/** One metric over time, a line per resource; the table beside it carries the same figures in words. */
export function UsageChart({
  title,
  rows,
  series,
  format,
}: {
  title: string;
  rows: ChartRow[];
  /** Only the drawn ones (with a colour). */
  series: ChartSeries[];
  format: (value: number) => string;
}) {
  const formatClock = clockFormatFor(rows);
  return (
    <figure className="grid gap-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <div className="h-56" role="img" aria-label={`${title} over time, one line per droplet and app`}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height: 224 }}>
          <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="at"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={formatClock}
              tick={{ fontSize: 12, fill: 'var(--muted-foreground)' }}
              stroke="var(--border)"
              minTickGap={32}
            />
            <YAxis
              tickFormatter={format}
              tick={{ fontSize: 12, fill: 'var(--muted-foreground)' }}
              stroke="var(--border)"
              width={80}
              allowDecimals
            />
            <Tooltip
              labelFormatter={(at) => formatClock(Number(at))}
              formatter={(value, name) => [
                format(Number(value)),
                series.find((s) => s.id === name)?.name ?? String(name),
              ]}
              contentStyle={{
                background: 'var(--card)',
                border: '1px solid var(--border)',
                borderRadius: 'var(--radius)',
                color: 'var(--card-foreground)',
                fontSize: 12,
              }}
            />
            {series.map((s) => (
              <Line
                key={s.id}
                dataKey={s.id}
                name={s.id}
                type="monotone"
                stroke={s.color ?? undefined}
                strokeWidth={2}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
