import { PencilIcon } from 'lucide-react';
import type { FieldValues } from 'react-hook-form';
import { CreateDialog, type CreateDialogProps } from './create-dialog.tsx';
import { Button } from './ui/button.tsx';

/**
 * Editing a resource's settings: the create-dialog pattern with the SDK's `Update*Input` schema,
 * opened by an "Edit" button, saving with "Save".
 */
export function EditDialog<TForm extends FieldValues, TOutput>(
  props: Omit<CreateDialogProps<TForm, TOutput>, 'trigger' | 'submitLabel' | 'pendingLabel'> & {
    disabled?: boolean;
  },
) {
  return (
    <CreateDialog
      {...props}
      trigger={
        <Button variant="outline" size="sm" disabled={props.disabled}>
          <PencilIcon aria-hidden /> Edit
        </Button>
      }
      submitLabel="Save"
      pendingLabel="Saving…"
    />
  );
}
