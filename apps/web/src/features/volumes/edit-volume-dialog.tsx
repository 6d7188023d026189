import { UpdateVolumeInput, type Volume } from '@uncloud/sdk';
import type { Refusal } from '../../app/access.ts';
import { FormField } from '../../components/form-field.tsx';
import { ResourceEditDialog } from '../../components/resource-edit-dialog.tsx';
import { Input } from '../../components/ui/input.tsx';

/** Renames, describes and retags; size and attachment are actions. */
export function EditVolumeDialog({ volume, refusal }: { volume: Volume; refusal: Refusal | null }) {
  return (
    <ResourceEditDialog
      kind="volumes"
      row={volume}
      refusal={refusal}
      description="The data on the volume is not touched."
      schema={UpdateVolumeInput}
      fields={{
        defaults: { description: volume.description },
        toInput: (f) => ({ description: f.description }),
        render: (form) => (
          <FormField form={form} name="description" label="Description">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        ),
      }}
    />
  );
}
