export { WorkQueue, type WorkQueueOptions, type WorkResult } from './work-queue.ts';
