import { asc, count, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { droplets, images } from '../schema.ts';
import { uniquely } from './constraints.ts';

type ImageInsert = typeof images.$inferInsert;
type ImageRow = typeof images.$inferSelect;

/** Administrators' custom droplet images (the stock ones are in `@uncloud/sdk`'s catalogue). */
export const imagesRepository = {
  all: (db: Db): ImageRow[] =>
    db.select().from(images).orderBy(asc(images.createdAt), asc(images.slug)).all(),

  find: (db: Db, slug: string): ImageRow | undefined =>
    db.select().from(images).where(eq(images.slug, slug)).get(),

  insert: (db: Db, values: ImageInsert): ImageRow =>
    uniquely(() => db.insert(images).values(values).returning().get(), {
      slug: 'an image with this slug already exists',
    }),

  remove: (db: Db, slug: string): boolean => db.delete(images).where(eq(images.slug, slug)).run().changes > 0,

  /** How many droplets (in any project, being deleted included) boot from the image. */
  dropletsUsing: (db: Db, slug: string): number =>
    db.select({ n: count() }).from(droplets).where(eq(droplets.image, slug)).get()?.n ?? 0,
};
