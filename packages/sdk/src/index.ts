export * from './schemas/index.ts';
export {
  createUncloudClient,
  type UncloudClient,
  type UncloudClientOptions,
  type AppRouter,
} from './client.ts';
