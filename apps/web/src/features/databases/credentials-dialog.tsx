import { useQuery } from '@tanstack/react-query';
import type { Database } from '@uncloud/sdk';
import { ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { CopyField, SecretField } from '../../components/secret-field.tsx';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '../../components/ui/dialog.tsx';
import { useTRPC } from '../../lib/trpc.ts';

/**
 * The connection details with the password. Fetched each time the dialog opens and dropped from
 * the cache when it closes, so the password does not linger in the page.
 */
export function CredentialsDialog({
  database,
  open,
  onOpenChange,
}: {
  database: Database;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const credentials = useQuery(
    trpc.databases.credentials.queryOptions(
      { projectId: database.projectId, id: database.id },
      { enabled: open, staleTime: 0, gcTime: 0, retry: false },
    ),
  );
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Credentials of {database.name}</DialogTitle>
          <DialogDescription>
            Give these to the apps that use the database. Anyone holding the password can read and change all
            its data.
          </DialogDescription>
        </DialogHeader>
        {credentials.isPending ? (
          <LoadingRows rows={4} />
        ) : credentials.isError ? (
          <ErrorState error={credentials.error} onRetry={() => void credentials.refetch()} />
        ) : (
          <div className="grid gap-3">
            <CopyField label="Host" value={credentials.data.host} />
            <div className="grid gap-3 sm:grid-cols-3">
              <CopyField label="Port" value={String(credentials.data.port)} />
              <CopyField label="Database" value={credentials.data.database} />
              <CopyField label="User" value={credentials.data.user} />
            </div>
            <SecretField label="Password" value={credentials.data.password} />
            <SecretField label="Connection URI" value={credentials.data.uri} />
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
