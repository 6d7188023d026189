import type { DatabaseBackup } from '@uncloud/sdk';

const engineNames = { postgres: 'PostgreSQL', mysql: 'MySQL', valkey: 'Valkey' } as const;

/** The engine and version the backup was taken of: what it restores into. */
export const backupEngineVersion = (backup: DatabaseBackup) =>
  backup.source ? `${engineNames[backup.source.engine]} ${backup.source.version}` : engineNames[backup.engine];

/** What the database was when backed up: engine and version, size, nodes (what a restore is made like). */
export const backupSourceFacts = (backup: DatabaseBackup) => {
  const s = backup.source;
  if (!s) return `${engineNames[backup.engine]}, version not recorded`;
  const disk = s.storageGiB !== null ? `, ${s.storageGiB} GiB disk` : '';
  return `${backupEngineVersion(backup)} · ${s.size}${disk} · ${s.nodes} node${s.nodes === 1 ? '' : 's'}`;
};
