import { LockIcon } from 'lucide-react';
import { refusalText, type Refusal } from '../app/access.ts';
import { cn } from '../lib/utils.ts';

/** The id of the sentence that explains a refusal; every control it disables points at it. */
export const refusalId = (refusal: Pick<Refusal, 'key'>) =>
  `refusal-${refusal.key.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/**
 * Props for a control that a refusal disables: disabled, described by the visible sentence that
 * says why (a `RefusalNote` on the same page), and with the same words on hover.
 */
export const refusedProps = (refusal: Refusal | null | undefined) =>
  refusal ? { disabled: true, 'aria-describedby': refusalId(refusal), title: refusal.text } : {};

/**
 * The visible reasons for the controls a page disables, one sentence per kind of refusal:
 * "Viewers can't power off, reboot or delete droplets — ask a project owner." Renders nothing
 * when nothing is refused.
 */
export function RefusalNote({
  refusals,
  className,
}: {
  refusals: ReadonlyArray<Refusal | null | undefined>;
  className?: string;
}) {
  const groups = new Map<string, Refusal[]>();
  for (const r of refusals) if (r) groups.set(r.key, [...(groups.get(r.key) ?? []), r]);
  if (groups.size === 0) return null;
  return (
    <div className={cn('grid gap-1', className)}>
      {[...groups.values()].map((group) => {
        const first = group[0]!;
        return (
          <p
            key={first.key}
            id={refusalId(first)}
            role="note"
            className="flex items-start gap-1.5 text-sm text-muted-foreground"
          >
            <LockIcon aria-hidden className="mt-0.5 size-3.5 shrink-0" />
            <span>
              {group.length === 1
                ? first.text
                : refusalText(
                    first.because,
                    group.map((r) => r.verb),
                    first.object,
                  )}
            </span>
          </p>
        );
      })}
    </div>
  );
}
