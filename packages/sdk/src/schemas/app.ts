import { z } from 'zod';
import { sortField } from './list-sort.ts';
import {
  AppId,
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
import type { DatabaseEngine } from './catalog.ts';

/** A container image reference: `[registry[:port]/]path[:tag][@sha256:digest]`. */
export const ImageReference = z
  .string()
  .max(512)
  .regex(
    /^(?:[a-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    { message: 'must be a container image reference such as "nginx:1.27" or "ghcr.io/org/app:v1"' },
  );

export const Port = z
  .number()
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be between 1 and 65535' })
  .max(65535, { message: 'must be between 1 and 65535' });

export const Domain = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, {
    message: 'must be a lowercase fully qualified domain name such as "api.example.com"',
  });

export const EnvVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'environment variable names are letters, digits and "_", not starting with a digit',
});
export const Env = z
  .record(EnvVarName, z.string().max(32768))
  .refine((env) => Object.keys(env).length <= 100, { message: 'at most 100 environment variables' });

export const Replicas = z
  .number()
  .int()
  .min(0, { message: 'must be 0 or more' })
  .max(50, { message: 'must be at most 50' });

export const HealthCheckPath = z
  .string()
  .max(1024)
  .regex(/^\/[^\s]*$/, { message: 'must be an absolute URL path such as "/healthz"' });

/**
 * The start of the variable names an attached database's connection gets (`DATABASE` →
 * `DATABASE_URL`, `DATABASE_HOST`, …): upper-case letters, digits and "_".
 */
export const EnvPrefix = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(40, { message: 'must be at most 40 characters' })
  .regex(/^[A-Z][A-Z0-9_]*$/, {
    message: 'must be upper-case letters, digits and "_", starting with a letter, such as "DATABASE"',
  });

/** A database attached to an app, as stored: which, and the prefix of its variables. */
export const AppDatabaseAttachment = z.object({ databaseId: DatabaseId, envPrefix: EnvPrefix });
export type AppDatabaseAttachment = z.infer<typeof AppDatabaseAttachment>;

/** The connection details an attached database gives, as the key of its credentials Secret. */
export const databaseVariableKeys = {
  URL: null,
  HOST: 'host',
  PORT: 'port',
  USER: 'username',
  PASSWORD: 'password',
  NAME: 'dbname',
} as const;

/**
 * The variables an app's pods get from an attached database of `engine`: `<prefix>_URL` (a
 * connection string), `_HOST`, `_PORT`, `_USER`, `_PASSWORD`, `_NAME`; Valkey has no user or database.
 */
export const databaseVariables = (engine: DatabaseEngine, envPrefix: string): string[] =>
  (Object.keys(databaseVariableKeys) as (keyof typeof databaseVariableKeys)[])
    .filter((suffix) => engine !== 'valkey' || (suffix !== 'USER' && suffix !== 'NAME'))
    .map((suffix) => `${envPrefix}_${suffix}`);

/** What an attachment shows: the variables the app's pods get, by name (the values stay in the cluster). */
export const AppDatabase = AppDatabaseAttachment.extend({ variables: z.array(z.string()) });
export type AppDatabase = z.infer<typeof AppDatabase>;

export const App = z.object({
  id: AppId,
  projectId: ProjectId,
  name: ResourceName,
  image: z.string(),
  port: z.number().int(),
  replicas: z.number().int(),
  /**
   * Environment variables by name. A viewer of the project gets every name with the value `null`
   * (values often hold passwords) and `envRedacted: true`; members and owners get the values.
   */
  env: z.record(z.string(), z.string().nullable()),
  /** True when values in `env` were withheld from the caller (a viewer); they are `null` then. */
  envRedacted: z.boolean(),
  domains: z.array(z.string()),
  healthCheckPath: z.string().nullable(),
  tags: z.array(Tag),
  state: ResourceState,
  readyReplicas: z.number().int().nullable(),
  availableReplicas: z.number().int().nullable(),
  /** Replicas already running the latest template: with `readyReplicas`, how far a rollout got. */
  updatedReplicas: z.number().int().nullable(),
  /** The image before the last deploy that changed it: what `rollback` returns to. */
  previousImage: z.string().nullable(),
  /** Where the app answers, once it has an address. */
  url: z.string().nullable(),
  /** Databases attached to the app, and the variables their connection reaches its pods as. */
  databases: z.array(AppDatabase),
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type App = z.infer<typeof App>;

export const CreateAppInput = z.object({
  projectId: ProjectId,
  name: ResourceName,
  image: ImageReference,
  port: Port,
  replicas: Replicas.default(1),
  env: Env.default({}),
  domains: z.array(Domain).max(16).default([]),
  healthCheckPath: HealthCheckPath.optional(),
  tags: Tags,
});
export type CreateAppInput = z.input<typeof CreateAppInput>;

export const AppRef = z.object({ projectId: ProjectId, id: AppId });
export type AppRef = z.input<typeof AppRef>;

/** Settings without a tracked rollout; image and env are `deploy`, replicas `scale`. */
export const UpdateAppInput = z.object({
  projectId: ProjectId,
  id: AppId,
  name: ResourceName.optional(),
  port: Port.optional(),
  image: z.never({ error: 'change the image with apps.deploy, which tracks the rollout' }).optional(),
  env: z.never({ error: 'change the environment with apps.deploy, which tracks the rollout' }).optional(),
  replicas: z.never({ error: 'change the number of replicas with apps.scale' }).optional(),
  domains: z.array(Domain).max(16).optional(),
  healthCheckPath: HealthCheckPath.nullable().optional(),
  tags: z.array(Tag).max(32).optional(),
});
export type UpdateAppInput = z.input<typeof UpdateAppInput>;

export const ListAppsInput = z.object({
  projectId: ProjectId,
  ...listFields,
  sort: sortField('app'),
  tag: Tag.optional(),
  state: ResourceState.optional(),
});
export type ListAppsInput = z.input<typeof ListAppsInput>;

export const AttachDatabaseInput = z.object({
  projectId: ProjectId,
  id: AppId,
  databaseId: DatabaseId,
  envPrefix: EnvPrefix.default('DATABASE'),
});
export type AttachDatabaseInput = z.input<typeof AttachDatabaseInput>;

export const DetachDatabaseInput = z.object({ projectId: ProjectId, id: AppId, databaseId: DatabaseId });
export type DetachDatabaseInput = z.input<typeof DetachDatabaseInput>;
