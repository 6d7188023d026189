import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc.ts';

/** Names for droplet and app ids in firewall rules and targets; `tag:web` reads as "tag web". */
export const useTargetNames = (projectId: string) => {
  const trpc = useTRPC();
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }));
  const apps = useQuery(trpc.apps.list.queryOptions({ projectId, limit: 200 }));
  const names = new Map<string, string>([
    ...(droplets.data?.items ?? []).map((d) => [d.id as string, `droplet ${d.name}`] as const),
    ...(apps.data?.items ?? []).map((a) => [a.id as string, `app ${a.name}`] as const),
  ]);
  return {
    droplets: droplets.data?.items ?? [],
    apps: apps.data?.items ?? [],
    name: (id: string) => (id.startsWith('tag:') ? `tag ${id.slice(4)}` : (names.get(id) ?? id)),
  };
};
