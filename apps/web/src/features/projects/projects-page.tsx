import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateProjectInput, type Project } from '@uncloud/sdk';
import { FolderKanbanIcon, PlusIcon, SettingsIcon } from 'lucide-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAccess } from '../../app/access.ts';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RefusalNote, refusedProps } from '../../components/refusal-note.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Input } from '../../components/ui/input.tsx';
import { formatAge } from '../../lib/format.ts';
import { pollWhileTransitional } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { useListControls } from '../../lib/use-list-controls.ts';

type ProjectForm = { name: string; description: string; purpose: string };

const columns: Array<Column<Project>> = [
  {
    header: 'Name',
    sort: 'name',
    cell: (p) => (
      <div>
        <Link to={`/p/${p.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
          {p.name}
        </Link>
        {p.isDefault ? <span className="ml-2 text-xs text-muted-foreground">default</span> : null}
        {p.description ? <div className="text-xs text-muted-foreground">{p.description}</div> : null}
      </div>
    ),
  },
  {
    header: 'State',
    cell: (p) => <StateBadge state={p.state} syncState={p.syncState} syncError={p.syncError} />,
  },
  { header: 'Purpose', cell: (p) => p.purpose },
  { header: 'Your role', cell: (p) => p.role },
  {
    header: 'Created',
    sort: 'createdAt',
    cell: (p) => <time dateTime={p.createdAt}>{formatAge(p.createdAt)}</time>,
  },
];

export function ProjectsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const access = useAccess();
  // Anyone may create projects (up to the server's per-user limit), with a token that reaches
  // every project and may make changes.
  const createRefusal = access.refusal('unscoped', { verb: 'create', object: 'projects' });
  const deleteRefusal = (p: Project) =>
    access.refusal('owner', { verb: 'delete', object: 'projects' }, p.role);
  const { filter, sort, pager, listInput } = useListControls();
  const list = useQuery(
    trpc.projects.list.queryOptions(listInput, {
      refetchInterval: pollWhileTransitional,
      placeholderData: keepPreviousData,
    }),
  );
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.auth.whoami.pathKey() }),
    ]);
  const create = useMutation(trpc.projects.create.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.projects.delete.mutationOptions({ onSettled: refresh }));

  const dialog = (
    <CreateDialog
      title="Create a project"
      description="Projects group resources and the people who work on them; each has its own quota."
      open={creating}
      onOpenChange={setCreating}
      trigger={
        <Button {...refusedProps(createRefusal)}>
          <PlusIcon aria-hidden /> Create project
        </Button>
      }
      schema={CreateProjectInput}
      defaultValues={{ name: '', description: '', purpose: 'Web Application' } satisfies ProjectForm}
      onSubmit={async (input) => {
        const project = await create.mutateAsync(input);
        void navigate(`/p/${project.id}`);
      }}
      submitLabel="Create project"
    >
      {(form) => (
        <>
          <FormField
            form={form}
            name="name"
            label="Name"
            hint="Lowercase letters, digits and '-', e.g. shop."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField form={form} name="description" label="Description (optional)">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField form={form} name="purpose" label="Purpose">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </CreateDialog>
  );

  return (
    <>
      <PageHeader
        title="Projects"
        description="Each project has its own resources, members and quota."
        actions={dialog}
      />
      <RefusalNote
        className="-mt-3 mb-4"
        refusals={[createRefusal, ...(list.data?.items ?? []).map(deleteRefusal)]}
      />
      <ResourceTable
        kind="project"
        label="Projects"
        query={list}
        columns={columns}
        filter={filter}
        sort={sort}
        pager={pager}
        typedDelete
        onDelete={(p) => remove.mutateAsync({ projectId: p.id })}
        deleteRefusal={deleteRefusal}
        deleteWarning={(p) =>
          `The project ${p.name} is deleted. Projects that still hold resources cannot be deleted; remove those first.`
        }
        rowActions={(p) => (
          <Button asChild variant="ghost" size="icon">
            <Link to={`/p/${p.id}/settings`} aria-label={`Settings of project ${p.name}`}>
              <SettingsIcon />
            </Link>
          </Button>
        )}
        empty={{
          icon: <FolderKanbanIcon />,
          title: 'No projects yet',
          body: 'Everything in Uncloud lives in a project. Create one to start adding droplets, apps and databases.',
          action: (
            <Button {...refusedProps(createRefusal)} onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden /> Create your first project
            </Button>
          ),
        }}
      />
    </>
  );
}
