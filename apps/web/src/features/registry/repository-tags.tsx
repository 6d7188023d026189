import { useQuery } from '@tanstack/react-query';
import { CopyButton } from '../../components/copy-button.tsx';
import { ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { useTRPC } from '../../lib/trpc.ts';

/** Sizes as registries show them: decimal units, one decimal. */
export const formatBytes = (bytes: number) => {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
};

/** A repository's tags with digest and size, read from the registry when opened. */
export function RepositoryTags({
  projectId,
  repository,
  image,
}: {
  projectId: string;
  repository: string;
  image: string;
}) {
  const trpc = useTRPC();
  const tags = useQuery(trpc.registry.tags.queryOptions({ projectId, repository }));
  if (tags.isPending) return <LoadingRows rows={2} />;
  if (tags.isError) return <ErrorState error={tags.error} onRetry={() => void tags.refetch()} />;
  return (
    <table className="w-full text-sm" aria-label={`Tags of ${repository}`}>
      <thead className="text-left text-muted-foreground">
        <tr>
          <th className="py-1 font-medium">Tag</th>
          <th className="py-1 font-medium">Digest</th>
          <th className="py-1 font-medium">Size</th>
          <th className="py-1" />
        </tr>
      </thead>
      <tbody>
        {tags.data.map((tag) => (
          <tr key={tag.name} className="border-t">
            <td className="py-2 font-mono text-xs">{tag.name}</td>
            <td className="py-2 font-mono text-xs" title={tag.digest ?? undefined}>
              {tag.digest ? `${tag.digest.slice(0, 19)}…` : '—'}
            </td>
            <td className="py-2">{tag.sizeBytes === null ? '—' : formatBytes(tag.sizeBytes)}</td>
            <td className="py-2 text-right">
              <CopyButton
                value={`docker pull ${image}:${tag.name}`}
                label={`Copy the pull line of ${tag.name}`}
                compact
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
