import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UpdateProjectInput, type Project } from '@uncloud/sdk';
import type { Refusal } from '../../app/access.ts';
import { EditDialog } from '../../components/edit-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

type ProjectEditForm = { name: string; description: string; purpose: string };

/** Owners rename and describe the project; its namespace keeps its name. */
export function EditProjectDialog({ project, refusal }: { project: Project; refusal: Refusal | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.projects.update.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.auth.whoami.pathKey() }),
        ]),
    }),
  );
  return (
    <EditDialog
      title={`Edit ${project.name}`}
      description="Renaming changes nothing that runs in the project."
      disabled={project.state === 'deleting'}
      refusal={refusal}
      schema={UpdateProjectInput}
      defaultValues={
        {
          name: project.name,
          description: project.description,
          purpose: project.purpose,
        } satisfies ProjectEditForm
      }
      toInput={(f: ProjectEditForm) => ({ projectId: project.id, ...f })}
      onSubmit={(input) => update.mutateAsync(input)}
    >
      {(form) => (
        <>
          <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-'.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField form={form} name="description" label="Description">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField form={form} name="purpose" label="Purpose">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </EditDialog>
  );
}
