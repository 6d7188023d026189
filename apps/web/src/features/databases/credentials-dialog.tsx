import { useQuery } from '@tanstack/react-query';
import type { Database } from '@uncloud/sdk';
import { LockIcon } from 'lucide-react';
import { useAccess } from '../../app/access.ts';
import { ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { CopyField, SecretField } from '../../components/secret-field.tsx';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '../../components/ui/dialog.tsx';
import { isUncloudError } from '../../lib/errors.ts';
import { useTRPC } from '../../lib/trpc.ts';

const seeCredentials = { verb: 'see', object: 'database credentials', read: true };

/**
 * The connection details with the password. Fetched each time the dialog opens and dropped from
 * the cache when it closes, so the password does not linger in the page. Someone whose role does
 * not allow it (a viewer) is told why instead, without asking the server.
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
  const access = useAccess(database.projectId);
  const refusal = access.refusal('member', seeCredentials);
  const credentials = useQuery(
    trpc.databases.credentials.queryOptions(
      { projectId: database.projectId, id: database.id },
      { enabled: open && access.settled && refusal === null, staleTime: 0, gcTime: 0, retry: false },
    ),
  );
  // The server has the last word: a role changed since the page loaded is refused there too.
  const refusedText =
    refusal?.text ??
    (isUncloudError(credentials.error, 'FORBIDDEN')
      ? 'Your role in this project does not let you see database credentials — ask a project owner.'
      : null);
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
        {refusedText ? (
          <p role="alert" className="flex items-start gap-2 rounded-md bg-muted/60 p-3 text-sm">
            <LockIcon aria-hidden className="mt-0.5 size-4 shrink-0" />
            {refusedText} Viewers see how to connect (host, port, database and user) on the database’s page,
            but never its password.
          </p>
        ) : credentials.isPending ? (
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
