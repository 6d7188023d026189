import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateDatabaseInput, databaseEngines, databaseSizes } from '@uncloud/sdk';
import { CreateDialog, type ResourceCreateDialogProps } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { formatMemory, numberOrUndefined, splitList } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { nodesAllowed, nodesControl, nodesHint } from './nodes-field.tsx';
import { QuotaNotice } from '../../components/quota-notice.tsx';

type DatabaseForm = {
  name: string;
  engine: string;
  version: string;
  size: string;
  nodes: string;
  tags: string;
};

const engineLabels: Record<string, string> = { postgres: 'PostgreSQL', mysql: 'MySQL', valkey: 'Valkey' };
export const engineLabel = (engine: string) => engineLabels[engine] ?? engine;

export function CreateDatabaseDialog({ projectId, open, onOpenChange, trigger }: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The catalogue ships with the SDK, so the selects hold their defaults from the first render.
  const options = useQuery(
    trpc.databaseOptions.list.queryOptions(undefined, {
      staleTime: Infinity,
      enabled: open,
      placeholderData: { engines: databaseEngines, sizes: databaseSizes },
    }),
  );
  const create = useMutation(
    trpc.databases.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.databases.list.pathKey() }),
    }),
  );
  return (
    <CreateDialog
      title="Create a database"
      description="A managed database cluster; Uncloud creates it, keeps it running and gives you the connection details."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateDatabaseInput}
      defaultValues={
        {
          name: '',
          engine: 'postgres',
          version: '',
          size: 'db-s-1vcpu-1gb',
          nodes: '1',
          tags: '',
        } satisfies DatabaseForm
      }
      toInput={(f: DatabaseForm) => ({
        projectId,
        name: f.name,
        engine: f.engine,
        ...(f.version ? { version: f.version } : {}),
        size: f.size,
        nodes: numberOrUndefined(f.nodes),
        tags: splitList(f.tags),
      })}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Create database"
      notice={<QuotaNotice projectId={projectId} limits={['databases']} what="a database" />}
    >
      {(form) => {
        const engine = options.data?.engines.find((e) => e.engine === form.watch('engine'));
        return (
          <>
            <FormField
              form={form}
              name="name"
              label="Name"
              hint="Lowercase letters, digits and '-', e.g. main."
            >
              {(p) => <Input autoComplete="off" {...p} />}
            </FormField>
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField form={form} name="engine" label="Engine">
                {(p) => (
                  <NativeSelect
                    {...p}
                    onChange={(e) => {
                      form.setValue('version', '');
                      // An engine that runs fewer nodes than asked brings the count down to what it runs.
                      const nodes = Number(form.getValues('nodes'));
                      if (nodes > nodesAllowed(e.target.value))
                        form.setValue('nodes', String(nodesAllowed(e.target.value)));
                      void p.onChange(e);
                    }}
                  >
                    {(options.data?.engines ?? []).map((e) => (
                      <option key={e.engine} value={e.engine}>
                        {engineLabel(e.engine)}
                      </option>
                    ))}
                  </NativeSelect>
                )}
              </FormField>
              <FormField form={form} name="version" label="Version">
                {(p) => (
                  <NativeSelect {...p}>
                    <option value="">Newest{engine ? ` (${engine.defaultVersion})` : ''}</option>
                    {(engine?.versions ?? []).map((v) => (
                      <option key={v} value={v}>
                        {v}
                      </option>
                    ))}
                  </NativeSelect>
                )}
              </FormField>
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField form={form} name="size" label="Size">
                {(p) => (
                  <NativeSelect {...p}>
                    {(options.data?.sizes ?? []).map((s) => (
                      <option key={s.slug} value={s.slug}>
                        {s.vcpus} vCPU · {formatMemory(s.memoryMiB)} · {s.diskGiB} GiB
                      </option>
                    ))}
                  </NativeSelect>
                )}
              </FormField>
              <FormField
                form={form}
                name="nodes"
                label="Nodes"
                hint={nodesHint(form.watch('engine'), engineLabel(form.watch('engine')))}
              >
                {(p) => nodesControl(form.watch('engine'), p)}
              </FormField>
            </div>
            <FormField form={form} name="tags" label="Tags" hint="Separated by commas or spaces.">
              {(p) => <Input autoComplete="off" {...p} />}
            </FormField>
          </>
        );
      }}
    </CreateDialog>
  );
}
