import { useMutation, useQueryClient, type QueryKey, type UseMutationOptions } from '@tanstack/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@uncloud/sdk';
import type * as React from 'react';
import type { UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import type { Refusal } from '../app/access.ts';
import { splitList } from '../lib/format.ts';
import type { ResourceKind } from '../lib/resource-kinds.ts';
import { useTRPC } from '../lib/trpc.ts';
import { EditDialog } from './edit-dialog.tsx';
import { FormField } from './form-field.tsx';
import { Input } from './ui/input.tsx';

/**
 * The kinds that are renamed and retagged in place (those whose output has tags); what else changes
 * them is an action.
 */
type TaggedKind = {
  [K in ResourceKind]: 'tags' extends keyof inferRouterOutputs<AppRouter>[K]['get'] ? K : never;
}[ResourceKind];

interface TaggedRow {
  projectId: string;
  id: string;
  name: string;
  tags: readonly string[];
  state: string;
}

type NameAndTags = { name: string; tags: string };

/** A kind's own settings, shown between Name and Tags. */
export interface KindFields<TExtra extends Record<string, string>, TOutput> {
  defaults: TExtra;
  /** Form values → their part of the update input. */
  toInput: (form: TExtra) => Record<string, unknown>;
  render: (form: UseFormReturn<NameAndTags & TExtra, unknown, TOutput>) => React.ReactNode;
}

/**
 * The update procedure and router key of a tagged kind, seen through the one shape they share
 * (as `use-resource.ts` does for get, list and delete); `schema` is what keeps the input typed.
 */
interface UpdateProcedure {
  pathKey: () => QueryKey;
  update: {
    mutationOptions: (opts: {
      onSuccess: () => Promise<void>;
    }) => UseMutationOptions<unknown, unknown, unknown>;
  };
}

export interface ResourceEditDialogProps<K extends TaggedKind, TExtra extends Record<string, string>> {
  kind: K;
  row: TaggedRow;
  /** Why the signed-in person may not edit it (their role); null when they may. */
  refusal: Refusal | null;
  description: string;
  /** The SDK's `Update*Input` of the kind. */
  schema: z.ZodType<inferRouterInputs<AppRouter>[K]['update']>;
  fields?: KindFields<TExtra, inferRouterInputs<AppRouter>[K]['update']>;
}

/** Edit of a droplet, volume, app or database: its name, its own settings, its tags. */
export function ResourceEditDialog<
  K extends TaggedKind,
  TExtra extends Record<string, string> = Record<never, string>,
>({ kind, row, refusal, description, schema, fields }: ResourceEditDialogProps<K, TExtra>) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const procedures = trpc[kind] as unknown as UpdateProcedure;
  const update = useMutation(
    procedures.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: procedures.pathKey() }),
    }),
  );
  return (
    <EditDialog
      title={`Edit ${row.name}`}
      description={description}
      disabled={row.state === 'deleting'}
      refusal={refusal}
      schema={schema}
      defaultValues={
        { name: row.name, ...fields?.defaults, tags: row.tags.join(', ') } as NameAndTags & TExtra
      }
      toInput={(f) => ({
        projectId: row.projectId,
        id: row.id,
        name: f.name,
        ...fields?.toInput(f),
        tags: splitList(f.tags),
      })}
      onSubmit={(input) => update.mutateAsync(input)}
    >
      {(form) => {
        // The kind's fields are not known here, so Name and Tags see the part of the form they edit.
        const base = form as unknown as UseFormReturn<NameAndTags>;
        return (
          <>
            <FormField form={base} name="name" label="Name" hint="Lowercase letters, digits and '-'.">
              {(p) => <Input autoComplete="off" {...p} />}
            </FormField>
            {fields?.render(form)}
            <FormField form={base} name="tags" label="Tags" hint="Separated by commas or spaces.">
              {(p) => <Input autoComplete="off" {...p} />}
            </FormField>
          </>
        );
      }}
    </EditDialog>
  );
}
