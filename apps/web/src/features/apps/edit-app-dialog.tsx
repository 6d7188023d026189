import { UpdateAppInput, type App } from '@uncloud/sdk';
import type { Refusal } from '../../app/access.ts';
import { FormField } from '../../components/form-field.tsx';
import { ResourceEditDialog } from '../../components/resource-edit-dialog.tsx';
import { Input } from '../../components/ui/input.tsx';
import { numberOrUndefined, splitList } from '../../lib/format.ts';

/** Settings without a rollout; image and environment are Deploy, replicas are Scale. */
export function EditAppDialog({ app, refusal }: { app: App; refusal: Refusal | null }) {
  return (
    <ResourceEditDialog
      kind="apps"
      row={app}
      refusal={refusal}
      description="To change the image or environment use Deploy; to change the number of replicas use Scale."
      schema={UpdateAppInput}
      fields={{
        defaults: {
          port: String(app.port),
          domains: app.domains.join(', '),
          healthCheckPath: app.healthCheckPath ?? '',
        },
        toInput: (f) => ({
          port: numberOrUndefined(f.port),
          domains: splitList(f.domains),
          healthCheckPath: f.healthCheckPath.trim() || null,
        }),
        render: (form) => (
          <>
            <FormField form={form} name="port" label="Port" hint="The port the container listens on.">
              {(p) => <Input type="number" inputMode="numeric" min={1} max={65535} {...p} />}
            </FormField>
            <FormField
              form={form}
              name="domains"
              label="Domains"
              hint="Separated by commas, e.g. api.example.com."
            >
              {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
            </FormField>
            <FormField
              form={form}
              name="healthCheckPath"
              label="Health check path"
              hint='For example "/healthz"; empty for none.'
            >
              {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
            </FormField>
          </>
        ),
      }}
    />
  );
}
