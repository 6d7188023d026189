import { Bar, BarChart, Cell, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { QuotaRow } from './quota-card.tsx';

const barColor = (percent: number) =>
  percent >= 100 ? 'var(--destructive)' : percent >= 80 ? 'var(--chart-3)' : 'var(--chart-1)';

/** Each limit as a bar to 100 %, the taken share coloured by how close it is to full. */
export function QuotaChart({ rows }: { rows: QuotaRow[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height: 208 }}>
      <BarChart
        data={rows}
        layout="vertical"
        margin={{ top: 0, right: 0, bottom: 0, left: 0 }}
        barCategoryGap={8}
      >
        <XAxis type="number" domain={[0, 100]} hide />
        <YAxis
          yAxisId="label"
          type="category"
          dataKey="label"
          width={76}
          tickLine={false}
          axisLine={false}
          tick={{ fontSize: 12, fill: 'var(--muted-foreground)' }}
        />
        <YAxis
          yAxisId="figures"
          orientation="right"
          type="category"
          dataKey="figures"
          width={132}
          tickLine={false}
          axisLine={false}
          tick={{ fontSize: 12, fill: 'var(--foreground)' }}
        />
        {/* Used and free, stacked to 100 %, so that an empty quota still shows its bar. */}
        <Bar yAxisId="label" dataKey="percent" stackId="quota" isAnimationActive={false}>
          {rows.map((r) => (
            <Cell key={r.label} fill={barColor(r.percent)} />
          ))}
        </Bar>
        <Bar yAxisId="label" dataKey="free" stackId="quota" fill="var(--muted)" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
