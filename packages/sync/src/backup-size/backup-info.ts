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

/** The object key of a base backup's `backup.info`, from the Backup's status. */
export const backupInfoLocation = (status: {
  destinationPath?: string | undefined;
  serverName?: string | undefined;
  backupId?: string | undefined;
}): { bucket: string; key: string } | undefined => {
  const { destinationPath, serverName, backupId } = status;
  if (!destinationPath || !serverName || !backupId) return undefined;
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(destinationPath);
  if (!match) return undefined;
  const prefix = match[2]!.replace(/\/+$/, '');
  return {
    bucket: match[1]!,
    key: `${prefix ? `${prefix}/` : ''}${serverName}/base/${backupId}/backup.info`,
  };
};
