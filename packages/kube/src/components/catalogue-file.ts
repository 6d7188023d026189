import { readFileSync } from 'node:fs';
import { ComponentName, StorageVariant } from '@uncloud/sdk';
import { z } from 'zod';
import type { Catalogue } from './catalogue.ts';

const ObjectRefSchema = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  serves: z.object({ apiVersion: z.string().min(1), kind: z.string().min(1) }).optional(),
});

/** A site's catalogue: checksums are mandatory here (they are what makes a source trusted). */
export const CatalogueFile = z.object({
  components: z.partialRecord(
    ComponentName,
    z.object({
      versions: z
        .array(
          z.object({
            version: z.string().min(1).max(64),
            variant: StorageVariant.optional(),
            sources: z.array(
              z.object({
                url: z.url({ protocol: /^https?$/ }),
                sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits (sha256sum)'),
              }),
            ),
            expects: z.array(ObjectRefSchema).optional(),
          }),
        )
        .min(1),
    }),
  ),
});
export type CatalogueFile = z.infer<typeof CatalogueFile>;

/** The built-in catalogue with each component the file names given the file's versions instead. */
export const withCatalogueFile = (base: Catalogue, file: CatalogueFile): Catalogue => {
  const out = { ...base };
  for (const [name, entry] of Object.entries(file.components) as [
    ComponentName,
    CatalogueFile['components'][ComponentName],
  ][])
    if (entry) out[name] = { ...base[name], versions: entry.versions };
  return out;
};

/** Reads and checks a catalogue file, saying which field is wrong. */
export const readCatalogueFile = (path: string): CatalogueFile => {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `the components catalogue ${path} could not be read as JSON: ${(error as Error).message}`,
    );
  }
  const parsed = CatalogueFile.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `the components catalogue ${path} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
};
