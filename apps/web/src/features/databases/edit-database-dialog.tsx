import { UpdateDatabaseInput, type Database } from '@uncloud/sdk';
import type { Refusal } from '../../app/access.ts';
import { ResourceEditDialog } from '../../components/resource-edit-dialog.tsx';

/** Renames and retags; size, nodes, storage and the password are actions. */
export function EditDatabaseDialog({ database, refusal }: { database: Database; refusal: Refusal | null }) {
  return (
    <ResourceEditDialog
      kind="databases"
      row={database}
      refusal={refusal}
      description="The data and the connection details are not touched."
      schema={UpdateDatabaseInput}
    />
  );
}
