import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CreateAppInput } from '@uncloud/sdk';
import { CreateDialog, type ResourceCreateDialogProps } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input, Textarea } from '../../components/ui/input.tsx';
import { envProblem } from '../../lib/env-lines.ts';
import { numberOrUndefined, parseEnv, splitList } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { QuotaNotice } from '../../components/quota-notice.tsx';

type AppForm = {
  name: string;
  image: string;
  port: string;
  replicas: string;
  env: string;
  domains: string;
  healthCheckPath: string;
  tags: string;
};

export function CreateAppDialog({ projectId, open, onOpenChange, trigger }: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.apps.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.apps.list.pathKey() }),
    }),
  );
  return (
    <CreateDialog
      title="Deploy an app"
      description="Runs a container image with as many replicas as you ask for, behind one address."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateAppInput}
      defaultValues={
        {
          name: '',
          image: '',
          port: '80',
          replicas: '1',
          env: '',
          domains: '',
          healthCheckPath: '',
          tags: '',
        } satisfies AppForm
      }
      toInput={(f: AppForm) => ({
        projectId,
        name: f.name,
        image: f.image.trim(),
        port: numberOrUndefined(f.port),
        replicas: numberOrUndefined(f.replicas),
        env: parseEnv(f.env),
        domains: splitList(f.domains),
        ...(f.healthCheckPath.trim() ? { healthCheckPath: f.healthCheckPath.trim() } : {}),
        tags: splitList(f.tags),
      })}
      check={(f: AppForm) => ({ env: envProblem(f.env) ?? undefined })}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Deploy app"
      notice={<QuotaNotice projectId={projectId} limits={['apps']} what="an app" />}
    >
      {(form) => (
        <>
          <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-', e.g. api.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField
            form={form}
            name="image"
            label="Container image"
            hint='For example "nginx:1.27" or "ghcr.io/org/app:v1".'
          >
            {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField form={form} name="port" label="Port" hint="The port the container listens on.">
              {(p) => <Input type="number" inputMode="numeric" min={1} max={65535} {...p} />}
            </FormField>
            <FormField form={form} name="replicas" label="Replicas">
              {(p) => <Input type="number" inputMode="numeric" min={0} max={50} {...p} />}
            </FormField>
          </div>
          <FormField form={form} name="env" label="Environment (optional)" hint="One KEY=value per line.">
            {(p) => <Textarea rows={3} spellCheck={false} {...p} />}
          </FormField>
          <FormField
            form={form}
            name="domains"
            label="Domains (optional)"
            hint="Separated by commas, e.g. api.example.com."
          >
            {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
          </FormField>
          <FormField
            form={form}
            name="healthCheckPath"
            label="Health check path (optional)"
            hint='For example "/healthz".'
          >
            {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
          </FormField>
          <FormField form={form} name="tags" label="Tags" hint="Separated by commas or spaces.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}
