import { UpdateDropletInput, type Droplet } from '@uncloud/sdk';
import type { Refusal } from '../../app/access.ts';
import { ResourceEditDialog } from '../../components/resource-edit-dialog.tsx';

/** Renames and retags; size, image and power are actions. */
export function EditDropletDialog({ droplet, refusal }: { droplet: Droplet; refusal: Refusal | null }) {
  return (
    <ResourceEditDialog
      kind="droplets"
      row={droplet}
      refusal={refusal}
      description="Renaming keeps the droplet running; firewalls that target its tags follow the new tags."
      schema={UpdateDropletInput}
    />
  );
}
