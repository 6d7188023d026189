import type { SyncState } from '@uncloud/sdk';
import type * as React from 'react';
import { formatAge } from '../lib/format.ts';
import { Card, CardContent, CardHeader, CardTitle } from './ui/card.tsx';

/** A time as "3 minutes ago", with the exact time on hover. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {formatAge(iso)}
    </time>
  );
}

export type Fact = [label: string, value: React.ReactNode];

/** A card of labelled values: the fields of a resource, its runtime facts. */
export function Facts({
  title,
  facts,
  children,
}: {
  title: string;
  facts: Fact[];
  children?: React.ReactNode;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-4">
        <dl className="grid grid-cols-[minmax(8rem,auto)_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm">
          {facts.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="min-w-0 [overflow-wrap:anywhere]">{value ?? '—'}</dd>
            </div>
          ))}
        </dl>
        {children}
      </CardContent>
    </Card>
  );
}

const syncWords: Record<SyncState, string> = {
  synced: 'In sync: the cluster runs the latest change',
  pending: 'A change is waiting to be applied',
  stale: 'The cluster could not be reached recently; the facts below may be old',
  error: 'The last attempt to apply a change failed',
};

export interface Reconciled {
  generation: number;
  observedGeneration: number;
  observedAt: string | null;
  syncState: SyncState;
  syncError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** How far the cluster has caught up with the resource: sync state, error, observed time. */
export const syncFacts = (r: Reconciled): Fact[] => [
  ['Sync', <span data-sync-state={r.syncState}>{syncWords[r.syncState]}</span>],
  ['Sync error', r.syncError ? <span className="text-destructive">{r.syncError}</span> : 'None'],
  ['Changes applied', `${r.observedGeneration} of ${r.generation}`],
  ['Last observed', r.observedAt ? <Time iso={r.observedAt} /> : 'Not yet'],
  ['Created', <Time iso={r.createdAt} />],
  ['Updated', <Time iso={r.updatedAt} />],
];
