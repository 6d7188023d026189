// Server side of the contract: the router, its procedure builders and the ports a server implements.
export { appRouter, type AppRouter } from './router.ts';
export { createCallerFactory, type ContractContext } from './trpc.ts';
export type * from './ports.ts';
export {
  restRoutes,
  streamRoutes,
  restOutputs,
  RestError,
  type RestRoute,
  type StreamRoute,
  type RestProcedure,
  type RestOutput,
  type HttpMethod,
} from './rest-routes.ts';
export {
  restOperations,
  bindingFor,
  procedureInput,
  queryType,
  type QueryType,
  type RestOperation,
  type RestBinding,
  type JsonSchema,
  type ObjectSchema,
} from './rest-operations.ts';
export { createOpenApiDocument, bodyComponent, type OpenApiDocument } from './openapi.ts';
