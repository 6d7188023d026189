import { useQuery } from '@tanstack/react-query';
import { dropletImages } from '@uncloud/sdk';
import { useTRPC } from '../../lib/trpc.ts';

/**
 * The `<option>`s of a droplet image select. The SDK's catalogue stands in until the server answers,
 * so the select has real options from the first render.
 */
export function ImageOptions({ enabled = true, current }: { enabled?: boolean; current?: string }) {
  const trpc = useTRPC();
  const images = useQuery(
    trpc.images.list.queryOptions(undefined, {
      staleTime: Infinity,
      enabled,
      placeholderData: dropletImages.map((i) => ({ ...i, custom: false })),
    }),
  );
  return (images.data ?? []).map((i) => (
    <option key={i.slug} value={i.slug}>
      {i.distribution} {i.version}
      {i.slug === current ? ' (current)' : ''}
    </option>
  ));
}
