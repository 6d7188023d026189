export * from './schemas/index.ts';
export {
  clientBatchSize,
  createUncloudClient,
  type UncloudClient,
  type UncloudClientOptions,
  type UncloudHelpers,
  type AppRouter,
} from './client.ts';
export {
  UncloudError,
  isUncloudError,
  uncloudErrorLink,
  type UncloudErrorCode,
  type ClientErrorCode,
  type UncloudErrorInit,
} from './client/errors.ts';
export { paginate, type ListProcedure } from './client/paginate.ts';
export {
  waitFor,
  waitForAction,
  waitForSystemAction,
  type GettableResource,
  type StateOf,
  type WaitCondition,
  type WaitOptions,
  type ChangeSource,
} from './client/wait.ts';
export { watch, type WatchOptions, type WatchedEvent } from './client/watch.ts';
