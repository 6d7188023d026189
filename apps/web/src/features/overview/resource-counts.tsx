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
    data:
      | { items: ReadonlyArray<{ id: string; state?: string }>; nextCursor: string | null; total?: number }
      | undefined;
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
    <ul className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-3 xl:grid-cols-6" aria-label="Resources">
      {kinds.map(({ label, to, icon: Icon, query }) => {
        const items = query.data?.items ?? [];
        // The server counts them all; an older one only says there are more than a page.
        const total = query.data?.total ?? items.length;
        const more = query.data?.total === undefined && query.data?.nextCursor ? '+' : '';
        return (
          <li key={to}>
            <Card className="flex h-full flex-col gap-1.5 p-3 transition-colors hover:border-primary/40 sm:gap-2 sm:p-4">
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
                    className="text-2xl font-semibold tabular-nums sm:text-3xl"
                    aria-label={`${label}: ${total}${more}`}
                  >
                    {total}
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
