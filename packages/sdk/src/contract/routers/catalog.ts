import {
  CreateImageInput,
  ImageRef,
  databaseEngines,
  databaseSizes,
  dropletSizes,
} from '../../schemas/catalog.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';

// The catalogues are fixed data shipped with this release, so the routers serve them directly.
export const sizesRouter = router({
  list: authedProcedure.query(() => [...dropletSizes]),
});

/** Stock images ship with this release; administrators add custom ones (pinned sources). */
export const imagesRouter = router({
  list: authedProcedure.query(({ ctx }) => ctx.services.images.list()),
  create: adminProcedure
    .input(CreateImageInput)
    .mutation(({ ctx, input }) => ctx.services.images.create(input)),
  /** Refused while a droplet uses the image (its disk's source); stock images cannot be deleted. */
  delete: adminProcedure.input(ImageRef).mutation(({ ctx, input }) => ctx.services.images.delete(input)),
});

export const databaseOptionsRouter = router({
  list: authedProcedure.query(() => ({ engines: databaseEngines, sizes: databaseSizes })),
});
