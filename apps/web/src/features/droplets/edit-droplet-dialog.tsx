import { UpdateDropletInput, type Droplet } from '@uncloud/sdk';
import { ResourceEditDialog } from '../../components/resource-edit-dialog.tsx';

/** Renames and retags; size, image and power are actions. */
export function EditDropletDialog({ droplet }: { droplet: Droplet }) {
  return (
    <ResourceEditDialog
      kind="droplets"
      row={droplet}
      description="Renaming keeps the droplet running; firewalls that target its tags follow the new tags."
      schema={UpdateDropletInput}
    />
  );
}
