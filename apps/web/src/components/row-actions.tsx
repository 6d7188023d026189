import * as Menu from '@radix-ui/react-dropdown-menu';
import type { Action } from '@uncloud/sdk';
import { EllipsisIcon } from 'lucide-react';
import { Link } from 'react-router';
import type { Refusal } from '../app/access.ts';
import type { ResourceRow } from '../lib/use-resource.ts';
import { refusedProps } from './refusal-note.tsx';
import { unavailableReason, type ResourceAction } from './resource-actions.tsx';
import { Button } from './ui/button.tsx';

const itemClass =
  'flex cursor-default items-center gap-2 rounded-sm px-2 py-1.5 text-sm outline-none select-none data-[disabled]:pointer-events-none data-[disabled]:opacity-50 data-[highlighted]:bg-accent data-[highlighted]:text-accent-foreground [&_svg]:size-4';

/**
 * A list row's controls: the everyday actions as buttons (Power off, Scale), and a "…" menu with
 * the details page and every other action, so that nothing needs the detail page.
 */
export function RowActions<T extends ResourceRow>({
  row,
  noun,
  href,
  actions,
  inFlight,
  refusalOf,
  onStart,
}: {
  row: T;
  /** "droplet", for the menu's accessible name. */
  noun: string;
  href: string;
  actions: Array<ResourceAction<T>>;
  inFlight?: Pick<Action, 'type'>;
  /** Why the signed-in person may not start an action (their role); null when they may. */
  refusalOf: (action: ResourceAction<T>) => Refusal | null;
  onStart: (action: ResourceAction<T>, row: T) => void;
}) {
  const offered = actions.filter((a) => !a.hidden?.(row));
  const buttons = offered.filter((a) => a.inRow);
  const items = offered.filter((a) => !a.inRow);
  return (
    <span className="inline-flex items-center gap-1">
      {buttons.map((action) => {
        const reason = unavailableReason(action, row, inFlight);
        return (
          <Button
            key={action.label}
            variant="outline"
            size="sm"
            disabled={reason !== null}
            title={reason ?? `${action.label} ${row.name}`}
            {...refusedProps(refusalOf(action))}
            onClick={() => onStart(action, row)}
          >
            {action.label}
          </Button>
        );
      })}
      {/* Not modal: the dialogs its items open manage focus and the page's pointer events themselves. */}
      <Menu.Root modal={false}>
        <Menu.Trigger asChild>
          <Button variant="ghost" size="icon" aria-label={`More actions for ${noun} ${row.name}`}>
            <EllipsisIcon />
          </Button>
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content
            align="end"
            sideOffset={4}
            className="z-50 min-w-44 rounded-md border bg-background p-1 text-foreground shadow-md"
          >
            <Menu.Item asChild className={itemClass}>
              <Link to={href}>View details</Link>
            </Menu.Item>
            {items.length > 0 ? <Menu.Separator className="my-1 h-px bg-border" /> : null}
            {items.map((action) => {
              const reason = unavailableReason(action, row, inFlight);
              const refusal = refusalOf(action);
              return (
                <Menu.Item
                  key={action.label}
                  disabled={reason !== null || refusal !== null}
                  title={refusal?.text ?? reason ?? undefined}
                  aria-describedby={refusedProps(refusal)['aria-describedby']}
                  className={itemClass}
                  onSelect={() => onStart(action, row)}
                >
                  {action.icon}
                  {action.label}
                </Menu.Item>
              );
            })}
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
    </span>
  );
}
