import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CreateTokenInput, type IssuedToken } from '@uncloud/sdk';
import { PlusIcon } from 'lucide-react';
import type * as React from 'react';
import { useWhoami } from '../../app/require-auth.tsx';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';
import { expiryChoices } from './token-text.ts';

type TokenForm = { name: string; expiresInDays: string; readOnly: boolean; projectIds: string[] };

const toInput = (f: TokenForm) => ({
  name: f.name.trim(),
  expiresInDays: f.expiresInDays === '' ? undefined : Number(f.expiresInDays),
  readOnly: f.readOnly,
  projectIds: f.projectIds.length === 0 ? undefined : f.projectIds,
});

/** A new API token: its name, when it expires, whether it only reads, which projects it reaches. */
export function CreateTokenDialog({
  open,
  onOpenChange,
  onIssued,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onIssued: (token: IssuedToken) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const projects = useWhoami().data?.projects ?? [];
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.pathKey() }),
    }),
  );
  return (
    <CreateDialog
      title="Create an API token"
      description="The token is shown once, right after it is created. Store it somewhere safe."
      open={open}
      onOpenChange={onOpenChange}
      trigger={
        <Button>
          <PlusIcon aria-hidden /> Create token
        </Button>
      }
      schema={CreateTokenInput}
      defaultValues={{ name: '', expiresInDays: '30', readOnly: false, projectIds: [] } satisfies TokenForm}
      toInput={toInput}
      onSubmit={async (input) => onIssued(await create.mutateAsync(input))}
      submitLabel="Create token"
    >
      {(form): React.ReactNode => (
        <>
          <FormField
            form={form}
            name="name"
            label="Name"
            hint="What the token is for, e.g. “deploy from CI”."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField
            form={form}
            name="expiresInDays"
            label="Expires"
            hint="A token that expires cannot be used for long if it leaks."
          >
            {(p) => (
              <NativeSelect {...p}>
                {expiryChoices.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </NativeSelect>
            )}
          </FormField>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5 size-4 accent-primary" {...form.register('readOnly')} />
            <span>
              Read-only
              <span className="block text-xs text-muted-foreground">
                Lists and reads; every change made with it is refused.
              </span>
            </span>
          </label>
          <CheckboxList
            form={form}
            name="projectIds"
            legend="Projects (none chosen: all your projects)"
            options={projects.map((p) => ({ value: p.id, label: `${p.name} (${p.role})` }))}
            empty="You are in no project yet."
          />
        </>
      )}
    </CreateDialog>
  );
}
