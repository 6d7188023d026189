import { CloudIcon, LogOutIcon, MoonIcon, SunIcon } from 'lucide-react';
import { useEffect } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { useWhoami } from '../../app/require-auth.tsx';
import { useTheme } from '../../app/theme.ts';
import { lastProject, rememberProject } from '../../app/use-project.ts';
import { useSignOut } from '../../app/use-session.ts';
import { cn } from '../../lib/utils.ts';
import { Button } from '../ui/button.tsx';
import { NativeSelect } from '../ui/input.tsx';
import { navItems } from './nav.ts';

/** The console frame: sidebar, header with project switcher, user and theme, and the page. */
export function AppShell() {
  const { projectId: routeProject } = useParams();
  const whoami = useWhoami();
  const projects = whoami.data?.projects ?? [];
  const remembered = lastProject();
  const projectId =
    routeProject ?? (projects.some((p) => p.id === remembered) ? remembered : undefined) ?? projects[0]?.id;

  useEffect(() => {
    if (routeProject) rememberProject(routeProject);
  }, [routeProject]);

  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="hidden w-60 shrink-0 flex-col border-r bg-sidebar md:flex">
        <div className="flex h-14 items-center gap-2 border-b px-4 font-semibold">
          <CloudIcon className="size-5 text-primary" aria-hidden />
          Uncloud
        </div>
        <SideNav projectId={projectId} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <Header projectId={projectId} />
        <nav aria-label="Sections" className="flex gap-1 overflow-x-auto border-b px-2 py-1 md:hidden">
          <NavLinks projectId={projectId} compact />
        </nav>
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 p-4 md:p-8">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

function SideNav({ projectId }: { projectId: string | undefined }) {
  return (
    <nav aria-label="Sections" className="flex flex-col gap-0.5 p-2">
      <NavLinks projectId={projectId} />
    </nav>
  );
}

function NavLinks({ projectId, compact = false }: { projectId: string | undefined; compact?: boolean }) {
  return navItems.map((item) => {
    if (!item.global && !projectId) return null;
    const to = item.global ? item.path : `/p/${projectId}${item.path ? `/${item.path}` : ''}`;
    const Icon = item.icon;
    return (
      <NavLink
        key={item.label}
        to={to}
        end={item.path === ''}
        className={({ isActive }) =>
          cn(
            'flex items-center gap-2.5 rounded-md px-3 py-2 text-sm whitespace-nowrap text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground',
            isActive && 'bg-accent font-medium text-foreground',
            compact && 'py-1.5',
          )
        }
      >
        <Icon className="size-4" aria-hidden />
        {item.label}
      </NavLink>
    );
  });
}

function Header({ projectId }: { projectId: string | undefined }) {
  const whoami = useWhoami();
  const navigate = useNavigate();
  const location = useLocation();
  const signOut = useSignOut();
  const { theme, toggle } = useTheme();
  const projects = whoami.data?.projects ?? [];

  const switchTo = (id: string) => {
    // Stay on the same section when switching projects.
    const section = /^\/p\/[^/]+(\/[^/]+)?/.exec(location.pathname)?.[1] ?? '';
    void navigate(`/p/${id}${section}`);
  };

  return (
    <header className="flex h-14 items-center gap-3 border-b px-4">
      <div className="flex items-center gap-2">
        <label htmlFor="project-switcher" className="text-sm text-muted-foreground">
          Project
        </label>
        <NativeSelect
          id="project-switcher"
          className="w-48"
          value={projectId ?? ''}
          disabled={projects.length === 0}
          onChange={(e) => switchTo(e.target.value)}
        >
          {projects.length === 0 ? <option value="">No projects yet</option> : null}
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="ml-auto flex items-center gap-2">
        <Button
          variant="ghost"
          size="icon"
          onClick={toggle}
          aria-label={theme === 'dark' ? 'Switch to light mode' : 'Switch to dark mode'}
          aria-pressed={theme === 'dark'}
        >
          {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
        </Button>
        {whoami.data ? (
          <span className="hidden text-sm sm:inline" title={whoami.data.user.email ?? undefined}>
            {whoami.data.user.name}
            {whoami.data.user.isAdmin ? <span className="ml-1 text-xs text-muted-foreground">(admin)</span> : null}
          </span>
        ) : null}
        <Button asChild variant="ghost" size="sm">
          <Link to="/tokens">API tokens</Link>
        </Button>
        <Button variant="outline" size="sm" onClick={signOut}>
          <LogOutIcon aria-hidden />
          Sign out
        </Button>
      </div>
    </header>
  );
}
