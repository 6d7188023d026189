// Server side of the contract: the router, its procedure builders and the ports a server implements.
export { appRouter, type AppRouter } from './router.ts';
export { createCallerFactory, type ContractContext } from './trpc.ts';
export type * from './ports.ts';
