import { z } from 'zod';
import { sortField } from './list-sort.ts';
import { DatabaseEngine, DatabaseNodes, DatabaseSizeSlug, checkEngineChoice } from './catalog.ts';
import {
  DatabaseBackupId,
  DatabaseId,
  IsoDateTime,
  ProjectId,
  ResourceName,
  ResourceState,
  Tag,
  Tags,
  listFields,
  reconciledFields,
} from './common.ts';
import { DatabaseBackupSettings } from './database-backup.ts';

export const DatabaseConnection = z.object({
  host: z.string(),
  port: z.number().int(),
  database: z.string(),
  user: z.string(),
});

export const Database = z.object({
  id: DatabaseId,
  projectId: ProjectId,
  name: ResourceName,
  engine: DatabaseEngine,
  version: z.string(),
  size: DatabaseSizeSlug,
  nodes: z.number().int(),
  /** Disk per node; starts at the size's disk and only grows. */
  storageGiB: z.number().int(),
  tags: z.array(Tag),
  state: ResourceState,
  readyNodes: z.number().int().nullable(),
  /** Something the owner should act on, in words (e.g. more nodes stored than the engine runs). */
  warning: z.string().nullable(),
  /**
   * What it is doing while it is not active yet, in words (a restored database: loading the backup
   * it is restored from); null otherwise. Why it failed is in `syncError`.
   */
  note: z.string().nullable(),
  primary: z.string().nullable(),
  /** Where to connect, once running. The password is served by `databases.credentials`. */
  connection: DatabaseConnection.nullable(),
  /** Where and when it is backed up; null when scheduled backups are off. */
  backups: DatabaseBackupSettings.nullable(),
  /**
   * The window a point-in-time restore can aim at, as the backup tool reports it (PostgreSQL):
   * from the first backup still kept to the last successful one and the WAL archived since.
   */
  recoverability: z
    .object({ firstPoint: IsoDateTime.nullable(), lastBackup: IsoDateTime.nullable() })
    .nullable(),
  /** What it was restored from, when it was made by `databases.restore`. */
  restoredFrom: z
    .object({
      databaseId: DatabaseId,
      backupId: DatabaseBackupId.nullable(),
      targetTime: IsoDateTime.nullable(),
    })
    .nullable(),
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type Database = z.infer<typeof Database>;

export const CreateDatabaseInput = z
  .object({
    projectId: ProjectId,
    name: ResourceName,
    engine: DatabaseEngine,
    /** Defaults to the engine's newest supported version. */
    version: z.string().optional(),
    size: DatabaseSizeSlug,
    nodes: DatabaseNodes.default(1),
    tags: Tags,
  })
  .superRefine(checkEngineChoice);
export type CreateDatabaseInput = z.input<typeof CreateDatabaseInput>;

export const DatabaseRef = z.object({ projectId: ProjectId, id: DatabaseId });
export type DatabaseRef = z.input<typeof DatabaseRef>;

/** Renames and retags; resizing and credentials are actions. */
export const UpdateDatabaseInput = z.object({
  projectId: ProjectId,
  id: DatabaseId,
  name: ResourceName.optional(),
  tags: z.array(Tag).max(32).optional(),
});
export type UpdateDatabaseInput = z.input<typeof UpdateDatabaseInput>;

export const ListDatabasesInput = z.object({
  projectId: ProjectId,
  ...listFields,
  sort: sortField('database'),
  tag: Tag.optional(),
  state: ResourceState.optional(),
});
export type ListDatabasesInput = z.input<typeof ListDatabasesInput>;

/** How to connect, password included: served on request, never stored by Uncloud. */
export const DatabaseCredentials = DatabaseConnection.extend({
  password: z.string(),
  /** A connection URI with everything in it, for drivers that take one. */
  uri: z.string(),
});
export type DatabaseCredentials = z.infer<typeof DatabaseCredentials>;
