import { FolderKanbanIcon } from 'lucide-react';
import { useLocation, useNavigate } from 'react-router';
import { useWhoami } from '../../app/require-auth.tsx';
import { NativeSelect } from '../ui/input.tsx';

/** Picks the project; stays on the same section (droplets stay droplets) in the new one. */
export function ProjectSwitcher({ projectId }: { projectId: string | undefined }) {
  const whoami = useWhoami();
  const navigate = useNavigate();
  const location = useLocation();
  const projects = whoami.data?.projects ?? [];

  const switchTo = (id: string) => {
    // A detail page (`/droplets/dpl_…`) belongs to the old project, so only the section is kept.
    const section = /^\/p\/[^/]+(\/[^/]+)?/.exec(location.pathname)?.[1] ?? '';
    void navigate(`/p/${id}${section}`);
  };

  return (
    <div className="flex min-w-0 items-center gap-2">
      <FolderKanbanIcon className="hidden size-4 shrink-0 text-muted-foreground sm:block" aria-hidden />
      <label htmlFor="project-switcher" className="sr-only">
        Project
      </label>
      <NativeSelect
        id="project-switcher"
        className="w-40 font-medium sm:w-56"
        value={projectId ?? ''}
        disabled={projects.length === 0}
        onChange={(e) => switchTo(e.target.value)}
      >
        {projects.length === 0 ? <option value="">No projects yet</option> : null}
        {projectId === undefined && projects.length > 0 ? <option value="">Choose a project</option> : null}
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}
