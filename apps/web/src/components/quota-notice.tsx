import { useQuery } from '@tanstack/react-query';
import type { QuotaLimits } from '@uncloud/sdk';
import { Link } from 'react-router';
import { useTRPC } from '../lib/trpc.ts';

const units: Record<keyof QuotaLimits, string> = {
  droplets: 'droplets',
  vcpus: 'vCPUs',
  memoryMiB: 'MiB of memory',
  volumeGiB: 'GiB of volume storage',
  apps: 'apps',
  databases: 'databases',
  loadBalancers: 'load balancers',
  reservedIps: 'reserved IPs',
};

/** The way to the page where a project's limits are shown (and, for administrators, changed). */
export function QuotasLink({ projectId }: { projectId: string }) {
  return (
    <Link className="font-medium underline underline-offset-4" to={`/p/${projectId}/quotas`}>
      See the project&apos;s quotas
    </Link>
  );
}

/**
 * Warns, as a create dialog opens, that the project is already at its limit for what the dialog
 * creates, so that nobody fills in a form the server will refuse. Renders nothing otherwise.
 */
export function QuotaNotice({
  projectId,
  limits,
  what,
}: {
  projectId: string;
  /** The limits a new resource of this kind counts against. */
  limits: ReadonlyArray<keyof QuotaLimits>;
  /** "a droplet", "a volume". */
  what: string;
}) {
  const trpc = useTRPC();
  const quota = useQuery(trpc.quotas.get.queryOptions({ projectId }));
  if (!quota.data) return null;
  const { usage } = quota.data;
  const full = limits.filter((key) => usage[key] >= quota.data[key]);
  if (full.length === 0) return null;
  const reached = full.map((key) => `${usage[key]} of ${quota.data[key]} ${units[key]}`).join(', ');
  return (
    <p role="status" className="rounded-md border border-amber-500/40 bg-amber-500/10 p-3 text-sm">
      This project is at its limit ({reached} in use): creating {what} will be refused. Remove something
      first, or ask an administrator to raise the quota. <QuotasLink projectId={projectId} />
    </p>
  );
}
