import { createHash } from 'node:crypto';
import type { ComponentSource } from './catalogue.ts';

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

export interface FetchOptions {
  /**
   * Base URL that stands in for the internet (`UNCLOUD_COMPONENTS_MIRROR`): a source
   * `https://github.com/a/b/x.yaml` is fetched from `<mirror>/github.com/a/b/x.yaml`.
   */
  mirror?: string | undefined;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Where a source is fetched from: upstream, or the same path under the mirror. */
export const sourceLocation = (url: string, mirror: string | undefined): string => {
  if (!mirror) return url;
  const upstream = new URL(url);
  return `${mirror.replace(/\/+$/, '')}/${upstream.host}${upstream.pathname}${upstream.search}`;
};

export const sha256Of = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

// Release manifests are hundreds of KiB (KubeVirt's operator ~500 KiB); refuse anything absurd.
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * Fetches a pinned source and returns its text only if its SHA-256 is the recorded one. A source
 * without a recorded checksum is refused before anything is fetched.
 */
export const fetchSource = async (source: ComponentSource, options: FetchOptions = {}): Promise<string> => {
  if (!source.sha256)
    throw new SourceError(
      `no checksum is recorded for ${source.url}: verify the file and record its sha256 in the components catalogue (UNCLOUD_COMPONENTS_CATALOGUE)`,
    );
  const location = sourceLocation(source.url, options.mirror);
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  let response: Response;
  try {
    response = await fetch(location, { signal, redirect: 'follow' });
  } catch (error) {
    throw new SourceError(
      `could not fetch ${location}: ${deadline.aborted ? 'timed out' : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message)}` +
        (options.mirror ? '' : ' (an air-gapped site sets UNCLOUD_COMPONENTS_MIRROR)'),
    );
  }
  if (!response.ok) throw new SourceError(`could not fetch ${location}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_BYTES) throw new SourceError(`${location} is larger than ${MAX_BYTES} bytes`);
  const actual = sha256Of(bytes);
  if (actual !== source.sha256.toLowerCase())
    throw new SourceError(
      `the checksum of ${location} is ${actual}, not the recorded ${source.sha256}: refusing to apply it (the file changed upstream, or the mirror serves another file)`,
    );
  return new TextDecoder().decode(bytes);
};
