import { z } from 'zod';
import { Image, Size, databaseEngines, databaseSizes, dropletImages, dropletSizes } from '../../schemas/catalog.ts';
import { authedProcedure, router } from '../trpc.ts';

// The catalogues are fixed data shipped with this release, so the routers serve them directly.
export const sizesRouter = router({
  list: authedProcedure.output(z.array(Size)).query(() => [...dropletSizes]),
});

export const imagesRouter = router({
  list: authedProcedure.output(z.array(Image)).query(() => [...dropletImages]),
});

export const databaseOptionsRouter = router({
  list: authedProcedure.query(() => ({ engines: databaseEngines, sizes: databaseSizes })),
});
