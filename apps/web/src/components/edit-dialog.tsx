import { PencilIcon } from 'lucide-react';
import type { FieldValues } from 'react-hook-form';
import type { Refusal } from '../app/access.ts';
import { CreateDialog, type CreateDialogProps } from './create-dialog.tsx';
import { refusedProps } from './refusal-note.tsx';
import { Button } from './ui/button.tsx';

/**
 * Editing a resource's settings: the create-dialog pattern with the SDK's `Update*Input` schema,
 * opened by an "Edit" button, saving with "Save".
 */
export function EditDialog<TForm extends FieldValues, TOutput>(
  props: Omit<CreateDialogProps<TForm, TOutput>, 'trigger' | 'submitLabel' | 'pendingLabel'> & {
    disabled?: boolean;
    /** Why the signed-in person may not edit; the page shows it in a `RefusalNote`. */
    refusal?: Refusal | null;
  },
) {
  return (
    <CreateDialog
      {...props}
      trigger={
        <Button variant="outline" size="sm" disabled={props.disabled} {...refusedProps(props.refusal)}>
          <PencilIcon aria-hidden /> Edit
        </Button>
      }
      submitLabel="Save"
      pendingLabel="Saving…"
    />
  );
}
