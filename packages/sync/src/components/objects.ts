import {
  type Catalogue,
  type CatalogueVersion,
  type FetchOptions,
  type GeneratedContext,
  type KubeObject,
  fetchSource,
  generatedFor,
  labelForComponent,
  parseManifests,
  sortForApply,
} from '@uncloud/kube';
import type { ComponentName } from '@uncloud/sdk';

/**
 * Fetched sources by URL and checksum: a version's files never change (their checksum says so), so
 * the pass that checks for drift does not download hundreds of KiB again.
 */
export const createSourceCache = (options: FetchOptions) => {
  const texts = new Map<string, Promise<string>>();
  return async (source: { url: string; sha256: string | null }): Promise<string> => {
    const key = `${source.url}@${source.sha256}`;
    let text = texts.get(key);
    if (!text) {
      text = fetchSource(source, options);
      texts.set(key, text);
      // A failure is not remembered: the next pass fetches again.
      text.catch(() => texts.delete(key));
    }
    return text;
  };
};

export type SourceLoader = ReturnType<typeof createSourceCache>;

/**
 * Every object of a component's version, labelled as its own, in the order to apply them: what
 * Uncloud generates first, then each source file in order, then sorted (CRDs, namespaces, RBAC and
 * configuration, workloads, custom resources).
 */
export const componentObjects = async (
  catalogue: Catalogue,
  name: ComponentName,
  version: CatalogueVersion,
  load: SourceLoader,
  installationId: string,
  context: GeneratedContext = {},
): Promise<KubeObject[]> => {
  const texts = await Promise.all(version.sources.map((source) => load(source)));
  const objects = [
    ...version.sources.flatMap((source, i) => parseManifests(texts[i]!, source.url)),
    ...generatedFor(catalogue[name].name, version, context),
  ];
  return sortForApply(objects.map((object) => labelForComponent(object, name, installationId)));
};
