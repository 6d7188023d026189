import type { SyncState } from '@uncloud/sdk';
import { isTransitional } from '../lib/states.ts';
import { cn } from '../lib/utils.ts';

const tone: Record<string, string> = {
  active: 'bg-emerald-500',
  stopped: 'bg-zinc-400',
  error: 'bg-red-500',
  deleting: 'bg-orange-500',
};

const syncLabels: Record<SyncState, string> = {
  synced: 'In sync',
  pending: 'Change pending',
  stale: 'Cluster unreachable',
  error: 'Sync failed',
};

export interface StateBadgeProps {
  state: string;
  /** How fresh the runtime view is; only shown when it is not `synced`. */
  syncState?: SyncState;
  syncError?: string | null;
  className?: string;
}

/** The one way a resource's lifecycle state is shown. */
export function StateBadge({ state, syncState, syncError, className }: StateBadgeProps) {
  const moving = isTransitional(state);
  return (
    <span className={cn('inline-flex flex-wrap items-center gap-1.5', className)}>
      <span
        data-state={state}
        data-transitional={moving || undefined}
        className="inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap capitalize"
      >
        <span
          aria-hidden
          className={cn('size-2 rounded-full', tone[state] ?? 'bg-sky-500', moving && 'animate-pulse')}
        />
        {/* The API's own word ("stopped"), so that what people read is what scripts and docs say;
            CSS capitalizes it for the eye. */}
        {state}
      </span>
      {syncState && syncState !== 'synced' ? (
        <span
          data-sync-state={syncState}
          title={syncError ?? undefined}
          className={cn(
            'inline-flex items-center rounded-full px-2 py-0.5 text-xs whitespace-nowrap',
            syncState === 'error'
              ? 'bg-red-500/10 text-red-700 dark:text-red-300'
              : 'bg-amber-500/10 text-amber-800 dark:text-amber-300',
          )}
        >
          {syncLabels[syncState]}
        </span>
      ) : null}
      {syncError ? (
        <span className="basis-full text-xs text-red-700 dark:text-red-300">{syncError}</span>
      ) : null}
    </span>
  );
}
