/** What Uncloud reads of a Barman `backup.info`. */
export interface BackupInfo {
  /** Bytes of the base backup, as Barman counts them; null when absent or not a number. */
  sizeBytes: number | null;
  /** Bytes it added beyond earlier backups it shares files with; null when absent. */
  deduplicatedSizeBytes: number | null;
  /** Barman's status of the backup (`DONE`, `FAILED`, …); null when absent. */
  status: string | null;
}

const bytes = (value: string | undefined) => {
  // Barman writes `None` for a field it has no value for.
  if (value === undefined || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
};

/**
 * Parses the `backup.info` Barman Cloud writes next to each base backup
 * (`<destinationPath>/<serverName>/base/<backupId>/backup.info`): one `key=value` per line.
 */
export const parseBackupInfo = (text: string): BackupInfo => {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    fields.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  const status = fields.get('status');
  return {
    sizeBytes: bytes(fields.get('size')),
    deduplicatedSizeBytes: bytes(fields.get('deduplicated_size')),
    status: status && status !== 'None' ? status : null,
  };
};

/**
 * Where a base backup's directory is, `s3://<bucket>/<prefix/><serverName>/base/<backupId>/`, from
 * the Backup's status: Barman Cloud writes the backup's files and its `backup.info` there, and
 * nothing else (the WAL archive is `<serverName>/wals/`, shared by every backup of the server).
 */
export const baseBackupLocation = (status: {
  destinationPath?: string | undefined;
  serverName?: string | undefined;
  backupId?: string | undefined;
}): string | undefined => {
  const { destinationPath, serverName, backupId } = status;
  if (!destinationPath || !serverName || !backupId) return undefined;
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(destinationPath);
  if (!match) return undefined;
  const prefix = match[2]!.replace(/\/+$/, '');
  return `s3://${match[1]!}/${prefix ? `${prefix}/` : ''}${serverName}/base/${backupId}/`;
};

/** A location `s3://<bucket>/<key>` split in its bucket and key. */
export const splitLocation = (location: string): { bucket: string; key: string } | undefined => {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  return match ? { bucket: match[1]!, key: match[2]! } : undefined;
};
