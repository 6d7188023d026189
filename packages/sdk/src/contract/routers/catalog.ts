import { databaseEngines, databaseSizes, dropletImages, dropletSizes } from '../../schemas/catalog.ts';
import { authedProcedure, router } from '../trpc.ts';

// The catalogues are fixed data shipped with this release, so the routers serve them directly.
export const sizesRouter = router({
  list: authedProcedure.query(() => [...dropletSizes]),
});

export const imagesRouter = router({
  list: authedProcedure.query(() => [...dropletImages]),
});

export const databaseOptionsRouter = router({
  list: authedProcedure.query(() => ({ engines: databaseEngines, sizes: databaseSizes })),
});
