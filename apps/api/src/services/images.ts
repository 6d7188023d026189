import { type Db, type ImageRow, imagesRepository } from '@uncloud/db';
import { type Image, badRequest, conflict, dropletImages, notFound } from '@uncloud/sdk';
import type { ImageService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';

const stock = (): Image[] => dropletImages.map((i) => ({ ...i, custom: false }));

const present = (row: ImageRow): Image => ({
  slug: row.slug,
  distribution: row.distribution,
  version: row.version,
  sourceType: row.sourceType,
  url: row.url,
  checksum: row.checksum,
  custom: true,
});

/** The image of a slug, stock or custom; BAD_REQUEST on `field` when the catalogue has none. */
export const imageOf = (db: Db, slug: string, field = 'image'): Image => {
  const found = stock().find((i) => i.slug === slug) ?? imagesRepository.find(db, slug);
  if (!found) throw badRequest(`there is no image ${slug}; images.list shows the images there are`, field);
  return 'custom' in found ? found : present(found);
};

/** The catalogue of droplet images: stock (in the SDK) first, then administrators' custom images. */
export const createImageService = ({ store }: ServiceDeps): ImageService => ({
  list: () => [...stock(), ...imagesRepository.all(store.db).map(present)],

  create: (input) =>
    store.transaction((db) => {
      if (stock().some((i) => i.slug === input.slug))
        throw conflict(`${input.slug} is a stock image; choose another slug`, 'slug');
      return present(
        imagesRepository.insert(db, {
          slug: input.slug,
          distribution: input.distribution,
          version: input.version,
          sourceType: input.sourceType,
          url: input.url,
          checksum: input.sourceType === 'http' ? (input.checksum ?? null) : null,
        }),
      );
    }),

  delete: ({ slug }) =>
    store.transaction((db) => {
      if (stock().some((i) => i.slug === slug))
        throw badRequest(`${slug} is a stock image, which cannot be deleted`, 'slug');
      const row = imagesRepository.find(db, slug);
      if (!row) throw notFound('image', slug, 'slug');
      const using = imagesRepository.dropletsUsing(db, slug);
      if (using > 0)
        throw conflict(
          `${using} droplet${using === 1 ? '' : 's'} boot from image ${slug} (it is where their disks are imported from); rebuild or delete them first`,
          'slug',
        );
      imagesRepository.remove(db, slug);
      return present(row);
    }),
});
