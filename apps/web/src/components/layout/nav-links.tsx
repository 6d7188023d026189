import { NavLink } from 'react-router';
import { cn } from '../../lib/utils.ts';
import { navGroups, navTarget } from './nav.ts';

/** The sections, grouped; project sections are left out until there is a project to show. */
export function NavLinks({
  projectId,
  onNavigate,
}: {
  projectId: string | undefined;
  onNavigate?: () => void;
}) {
  return navGroups.map((group, index) => {
    const links = group.items.flatMap((item) => {
      const to = navTarget(item, projectId);
      return to === null ? [] : [{ item, to }];
    });
    if (links.length === 0) return null;
    const headingId = `nav-group-${index}`;
    return (
      <div
        key={group.title ?? index}
        className="grid gap-0.5"
        role="group"
        aria-labelledby={group.title ? headingId : undefined}
      >
        {group.title ? (
          <p
            id={headingId}
            className="mt-4 mb-1 px-3 text-xs font-medium tracking-wide text-muted-foreground uppercase"
          >
            {group.title}
          </p>
        ) : null}
        {links.map(({ item, to }) => {
          const Icon = item.icon;
          return (
            <NavLink
              key={item.label}
              to={to}
              end={item.path === ''}
              onClick={onNavigate}
              className={({ isActive }) =>
                cn(
                  'relative flex items-center gap-2.5 rounded-md px-3 py-1.5 text-sm whitespace-nowrap text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground',
                  isActive &&
                    'bg-accent font-medium text-foreground before:absolute before:inset-y-1.5 before:left-0 before:w-0.5 before:rounded-full before:bg-primary',
                )
              }
            >
              <Icon className="size-4" aria-hidden />
              {item.label}
            </NavLink>
          );
        })}
      </div>
    );
  });
}
