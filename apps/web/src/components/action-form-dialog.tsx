import type { Action } from '@uncloud/sdk';
import type * as React from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { useProjectId } from '../app/use-project.ts';
import { asActionRefusal } from '../lib/action-errors.ts';
import { CreateDialog, type FieldFor, type FormCheck } from './create-dialog.tsx';
import type { ActionDialogProps } from './resource-actions.tsx';

export interface ActionFormDialogProps<
  TRow extends { id: string; name: string },
  TForm extends FieldValues,
  TOutput,
> extends ActionDialogProps<TRow> {
  /** The action's name: the title with the resource's name ("Resize web-1") and the submit button. */
  verb: string;
  description: React.ReactNode;
  /** The SDK's input schema of the action, perhaps narrowed (volumes only grow). */
  schema: z.ZodType<TOutput>;
  defaultValues: TForm;
  /** Form values → the action's parameters, sent with the project and the resource's id; by default as typed. */
  toParams?: (form: TForm) => object;
  fieldFor?: FieldFor<TForm>;
  /** Checks beyond the schema, by field. */
  check?: FormCheck<TForm>;
  /** Calls the action's procedure. */
  start: (input: TOutput) => Promise<Action>;
  children: (form: UseFormReturn<TForm, unknown, TOutput>) => React.ReactNode;
}

/**
 * An action that needs input (resize, scale, deploy): the create-dialog pattern with the action's
 * own schema, closing once the API has started it. Its progress then shows in the tray and on the
 * resource; a refusal (another action in progress) stays in the dialog.
 */
export function ActionFormDialog<
  TRow extends { id: string; name: string },
  TForm extends FieldValues,
  TOutput,
>({
  row,
  verb,
  toParams = (form) => form,
  start,
  onStarted,
  ...props
}: ActionFormDialogProps<TRow, TForm, TOutput>) {
  const projectId = useProjectId();
  return (
    <CreateDialog
      {...props}
      title={`${verb} ${row.name}`}
      submitLabel={verb}
      pendingLabel="Starting…"
      toInput={(form) => ({ projectId, id: row.id, ...toParams(form) })}
      onSubmit={async (input) => {
        let action: Action;
        try {
          action = await start(input);
        } catch (error) {
          throw asActionRefusal(error);
        }
        onStarted(action);
      }}
    />
  );
}
