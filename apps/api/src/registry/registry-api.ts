import { unavailable } from '@uncloud/sdk';
import type { RegistryAuthority } from './authority.ts';
import type { GrantedAccess } from './scope.ts';

export interface RegistryApiOptions {
  /** The registry's base URL as Uncloud reaches it (`https://registry.example.com`). */
  url: string;
  authority: RegistryAuthority;
  /** Per request (default 10 s). */
  timeoutMs?: number;
}

export interface ManifestFacts {
  digest: string | null;
  mediaType: string | null;
  sizeBytes: number | null;
}

/** What a pull of a manifest accepts: images and indexes, OCI's and Docker's. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** Catalogue pages walked for one project at most (100 names each). */
const MAX_PAGES = 10;

/**
 * The registry's HTTP API (distribution's `/v2/`) as Uncloud reads it for the dashboard: with
 * tokens it mints for itself (`registry:catalog:*`, `repository:<name>:pull`), never a user's.
 */
export const createRegistryApi = ({ url, authority, timeoutMs = 10_000 }: RegistryApiOptions) => {
  const base = url.replace(/\/+$/, '');
  const get = async (path: string, access: GrantedAccess[], accept?: string): Promise<Response> => {
    const { token } = await authority.mint('uncloud', access);
    try {
      return await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unavailable(
        `The registry at ${base} did not answer (${error instanceof Error ? error.message : String(error)}); try again, or ask an administrator to check it`,
      );
    }
  };
  const refused = (answer: Response, what: string) =>
    unavailable(`The registry refused to ${what} (HTTP ${answer.status}); ask an administrator to check it`);
  const pull = (name: string): GrantedAccess[] => [{ type: 'repository', name, actions: ['pull'] }];

  return {
    /** Every repository whose name starts with `prefix` (`shop/`), sorted, from the catalogue. */
    async repositories(prefix: string): Promise<string[]> {
      const names: string[] = [];
      // The catalogue is sorted and pages after `last`: start just before the project's names.
      let last = prefix;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await get(`/v2/_catalog?n=100&last=${encodeURIComponent(last)}`, [
          { type: 'registry', name: 'catalog', actions: ['*'] },
        ]);
        if (!answer.ok) throw refused(answer, 'list its repositories');
        const { repositories = [] } = (await answer.json()) as { repositories?: string[] };
        const mine = repositories.filter((name) => name.startsWith(prefix));
        names.push(...mine);
        if (mine.length < repositories.length || repositories.length < 100) break;
        last = repositories.at(-1)!;
      }
      return names;
    },

    /** A repository's tags, sorted; none for a repository that is not there. */
    async tags(name: string): Promise<string[]> {
      const answer = await get(`/v2/${name}/tags/list?n=1000`, pull(name));
      if (answer.status === 404) return [];
      if (!answer.ok) throw refused(answer, `list the tags of ${name}`);
      const { tags } = (await answer.json()) as { tags?: string[] | null };
      return [...(tags ?? [])].sort();
    },

    /** A tag's manifest: its digest, media type and the size of what it names. */
    async manifest(name: string, tag: string): Promise<ManifestFacts> {
      const answer = await get(
        `/v2/${name}/manifests/${encodeURIComponent(tag)}`,
        pull(name),
        MANIFEST_TYPES,
      );
      if (answer.status === 404) return { digest: null, mediaType: null, sizeBytes: null };
      if (!answer.ok) throw refused(answer, `read ${name}:${tag}`);
      const body = (await answer.json()) as {
        mediaType?: string;
        config?: { size?: number };
        layers?: { size?: number }[];
      };
      const mediaType = body.mediaType ?? answer.headers.get('content-type');
      const sizeBytes = body.config
        ? [body.config, ...(body.layers ?? [])].reduce((sum, part) => sum + (part.size ?? 0), 0)
        : null;
      return { digest: answer.headers.get('docker-content-digest'), mediaType, sizeBytes };
    },
  };
};

export type RegistryApi = ReturnType<typeof createRegistryApi>;
