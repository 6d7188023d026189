import { useMutation } from '@tanstack/react-query';
import { DeployAppInput, ScaleAppInput, type App } from '@uncloud/sdk';
import {
  EyeIcon,
  EyeOffIcon,
  RefreshCwIcon,
  RocketIcon,
  SlidersHorizontalIcon,
  Undo2Icon,
} from 'lucide-react';
import { useState } from 'react';
import { useProjectId } from '../../app/use-project.ts';
import { ActionFormDialog } from '../../components/action-form-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import type { ActionDialogProps, ResourceAction } from '../../components/resource-actions.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Input, Textarea } from '../../components/ui/input.tsx';
import { envProblem } from '../../lib/env-lines.ts';
import { formatEnv, numberOrUndefined, parseEnv } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';

/** Scale, deploy, redeploy and roll back, each answering with the action it started. */
export const useAppActions = (): Array<ResourceAction<App>> => {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const redeploy = useMutation(trpc.apps.redeploy.mutationOptions());
  const rollback = useMutation(trpc.apps.rollback.mutationOptions());
  return [
    {
      label: 'Scale',
      icon: <SlidersHorizontalIcon aria-hidden />,
      inRow: true,
      dialog: (props) => <ScaleAppDialog {...props} />,
    },
    {
      label: 'Deploy',
      icon: <RocketIcon aria-hidden />,
      dialog: (props) => <DeployAppDialog {...props} />,
    },
    {
      label: 'Redeploy',
      icon: <RefreshCwIcon aria-hidden />,
      disabledReason: (a) => (a.replicas === 0 ? 'Nothing runs at 0 replicas: scale up first' : null),
      run: (a) => redeploy.mutateAsync({ projectId, id: a.id }),
    },
    {
      label: 'Roll back',
      icon: <Undo2Icon aria-hidden />,
      disabledReason: (a) => (a.previousImage ? null : 'No earlier image to return to'),
      confirm: (a) => ({
        title: `Roll back ${a.name}?`,
        description: `Replicas are replaced one at a time, from ${a.image} back to ${a.previousImage ?? 'the image before'}.`,
      }),
      run: (a) => rollback.mutateAsync({ projectId, id: a.id }),
    },
  ];
};

function ScaleAppDialog(props: ActionDialogProps<App>) {
  const { row } = props;
  const trpc = useTRPC();
  const scale = useMutation(trpc.apps.scale.mutationOptions());
  return (
    <ActionFormDialog
      {...props}
      verb="Scale"
      description="How many copies of the app run behind its address. 0 stops it without deleting it."
      schema={ScaleAppInput.superRefine((input, ctx) => {
        // The server refuses an action that changes nothing; say so before sending.
        if (input.replicas === row.replicas)
          ctx.addIssue({
            code: 'custom',
            path: ['replicas'],
            message: `${row.name} already runs ${row.replicas}; choose another number`,
          });
      })}
      defaultValues={{ replicas: String(row.replicas) }}
      toParams={(f) => ({ replicas: numberOrUndefined(f.replicas) })}
      start={scale.mutateAsync}
    >
      {(form) => (
        <FormField form={form} name="replicas" label="Replicas" hint={`Now ${row.replicas}; from 0 to 50.`}>
          {(p) => <Input type="number" inputMode="numeric" min={0} max={50} {...p} />}
        </FormField>
      )}
    </ActionFormDialog>
  );
}

function DeployAppDialog(props: ActionDialogProps<App>) {
  const { row } = props;
  const trpc = useTRPC();
  const deploy = useMutation(trpc.apps.deploy.mutationOptions());
  // A viewer gets names without values; they cannot deploy, so nothing is prefilled to send back.
  const currentEnv = row.envRedacted ? '' : formatEnv(row.env);
  const [showValues, setShowValues] = useState(false);
  return (
    <ActionFormDialog
      {...props}
      verb="Deploy"
      description="Rolls out a new image or environment one replica at a time; the app keeps answering meanwhile. Roll back returns to the image before."
      schema={DeployAppInput}
      defaultValues={{ image: row.image, env: currentEnv }}
      check={(f) => ({ env: envProblem(f.env) ?? undefined })}
      // Only what changed is sent, so that a deploy names exactly what it rolls out.
      toParams={(f) => ({
        ...(f.image.trim() !== row.image ? { image: f.image.trim() } : {}),
        ...(f.env !== currentEnv ? { env: parseEnv(f.env) } : {}),
      })}
      start={deploy.mutateAsync}
    >
      {(form) => (
        <>
          <FormField form={form} name="image" label="Container image" hint={`Now ${row.image}.`}>
            {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
          </FormField>
          <FormField
            form={form}
            name="env"
            label="Environment"
            hint={
              row.envRedacted
                ? 'The current values are hidden from viewers. One KEY=value per line; the whole set replaces the current one.'
                : 'One KEY=value per line; the whole set replaces the current one.'
            }
          >
            {(p) => (
              <div className="grid gap-1.5">
                {/* Values often hold passwords: hidden as on the app's page until asked for. */}
                <Textarea
                  rows={5}
                  spellCheck={false}
                  autoComplete="off"
                  data-masked={showValues ? undefined : ''}
                  className={showValues ? undefined : '[-webkit-text-security:disc]'}
                  {...p}
                />
                <Button
                  variant="ghost"
                  size="sm"
                  className="justify-self-start"
                  aria-pressed={showValues}
                  onClick={() => setShowValues((v) => !v)}
                >
                  {showValues ? <EyeOffIcon aria-hidden /> : <EyeIcon aria-hidden />}
                  {showValues ? 'Hide values' : 'Show values'}
                </Button>
              </div>
            )}
          </FormField>
        </>
      )}
    </ActionFormDialog>
  );
}
