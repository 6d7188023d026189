import type { DatabaseRow } from '@uncloud/db';

/**
 * What a restored database is doing while it provisions, in words. The sync engine keeps a MySQL
 * or Valkey database provisioning until its restore Job has loaded the dump, and a PostgreSQL one
 * until CloudNativePG's recovery is done, so the state alone tells where it is.
 */
export const restoreNote = (row: DatabaseRow): string | null => {
  const from = row.restoreFrom;
  if (!from || row.state !== 'provisioning') return null;
  const what = from.backupId
    ? `the backup ${from.backupId}`
    : `the backups of ${from.databaseId} up to ${from.targetTime ?? 'the latest'}`;
  if (row.engine === 'postgres') return `recovering from ${what}`;
  return (row.readyNodes ?? 0) >= 1
    ? `loading ${what} (restore job running)`
    : `starting the server, then loading ${what}`;
};
