import { UpdateDatabaseInput, type Database } from '@uncloud/sdk';
import { ResourceEditDialog } from '../../components/resource-edit-dialog.tsx';

/** Renames and retags; size, nodes, storage and the password are actions. */
export function EditDatabaseDialog({ database }: { database: Database }) {
  return (
    <ResourceEditDialog
      kind="databases"
      row={database}
      description="The data and the connection details are not touched."
      schema={UpdateDatabaseInput}
    />
  );
}
