import { useEffect } from 'react';
import { Outlet, useParams } from 'react-router';
import { useWhoami } from '../../app/require-auth.tsx';
import { lastProject, rememberProject } from '../../app/use-project.ts';
import { Brand } from './brand.tsx';
import { MobileNav } from './mobile-nav.tsx';
import { NavLinks } from './nav-links.tsx';
import { ProjectSwitcher } from './project-switcher.tsx';
import { ThemeToggle } from './theme-toggle.tsx';
import { UserMenu } from './user-menu.tsx';

/** The project the shell shows: the one in the URL, else the last one used, else the first. */
const useShellProject = () => {
  const { projectId: routeProject } = useParams();
  const projects = useWhoami().data?.projects ?? [];
  useEffect(() => {
    if (routeProject) rememberProject(routeProject);
  }, [routeProject]);
  if (routeProject) return routeProject;
  const remembered = lastProject();
  return (projects.some((p) => p.id === remembered) ? remembered : undefined) ?? projects[0]?.id;
};

/** The console frame: sidebar, header with project switcher, theme and user, and the page. */
export function AppShell() {
  const projectId = useShellProject();
  return (
    <div className="flex min-h-screen bg-background">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      {/* The column carries the colour down the whole page; the sidebar inside stays in view. */}
      <div className="hidden w-60 shrink-0 border-r bg-sidebar md:block">
        <aside className="sticky top-0 flex h-screen flex-col overflow-y-auto">
          <div className="flex h-14 shrink-0 items-center px-4">
            <Brand />
          </div>
          <nav aria-label="Sections" className="grid px-2 pb-4">
            <NavLinks projectId={projectId} />
          </nav>
        </aside>
      </div>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-40 flex h-14 items-center gap-2 border-b bg-background/85 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/70 md:px-6">
          <MobileNav projectId={projectId} />
          <ProjectSwitcher projectId={projectId} />
          <div className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <UserMenu />
          </div>
        </header>
        {/* Room at the foot, so that the action tray never hides the last row of a list. */}
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto w-full max-w-7xl flex-1 p-4 pb-36 outline-none md:p-8 md:pb-36"
        >
          <Outlet />
        </main>
      </div>
    </div>
  );
}
