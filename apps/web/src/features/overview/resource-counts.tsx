import type { LucideIcon } from 'lucide-react';
import { Link } from 'react-router';
import { StateBadge } from '../../components/state-badge.tsx';
import { Card } from '../../components/ui/card.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';

export interface KindCount {
  label: string;
  /** The list page, relative to the project. */
  to: string;
  icon: LucideIcon;
  query: {
    data: { items: ReadonlyArray<{ id: string; state?: string }>; nextCursor: string | null } | undefined;
    isPending: boolean;
    isError: boolean;
  };
}

/** `[state, how many]`, in the order a resource moves through them. */
const stateOrder = [
  'active',
  'pending',
  'provisioning',
  'starting',
  'stopping',
  'stopped',
  'error',
  'deleting',
];
export const countByState = (items: ReadonlyArray<{ state?: string }>) => {
  const counts = new Map<string, number>();
  for (const item of items) if (item.state) counts.set(item.state, (counts.get(item.state) ?? 0) + 1);
  const rank = (s: string) => (stateOrder.includes(s) ? stateOrder.indexOf(s) : stateOrder.length);
  return [...counts.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
};

/** How many of each kind the project has, and in which states. */
export function ResourceCounts({ kinds }: { kinds: KindCount[] }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-6" aria-label="Resources">
      {kinds.map(({ label, to, icon: Icon, query }) => {
        const items = query.data?.items ?? [];
        const more = query.data?.nextCursor ? '+' : '';
        return (
          <li key={to}>
            <Card className="flex h-full flex-col gap-2 p-4 transition-colors hover:border-primary/40">
              <div className="flex items-center justify-between">
                <Link
                  to={to}
                  className="text-sm font-medium text-muted-foreground underline-offset-4 hover:text-foreground hover:underline"
                >
                  {label}
                </Link>
                <Icon className="size-4 text-muted-foreground" aria-hidden />
              </div>
              {query.isPending ? (
                <Skeleton className="h-8 w-12" />
              ) : query.isError ? (
                <p className="text-sm text-destructive">Could not load {label.toLowerCase()}.</p>
              ) : (
                <>
                  <p
                    className="text-3xl font-semibold tabular-nums"
                    aria-label={`${label}: ${items.length}${more}`}
                  >
                    {items.length}
                    {more}
                  </p>
                  <ul className="flex flex-wrap gap-1.5" aria-label={`${label} by state`}>
                    {countByState(items).map(([state, n]) => (
                      <li key={state} className="flex items-center gap-1 text-xs">
                        <StateBadge state={state} /> <span className="tabular-nums">{n}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </Card>
          </li>
        );
      })}
    </ul>
  );
}
