import { useQuery } from '@tanstack/react-query';
import type { RegistryInfo } from '@uncloud/sdk';
import { PackageIcon } from 'lucide-react';
import { useState } from 'react';
import { useProjectId } from '../../app/use-project.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card } from '../../components/ui/card.tsx';
import { useTRPC } from '../../lib/trpc.ts';
import { RegistryCredentials } from './registry-credentials.tsx';
import { RepositoryTags } from './repository-tags.tsx';

/** The lines to copy: sign in once, then tag and push (or pull) under the project's prefix. */
export const registryCommands = (info: RegistryInfo) => {
  const prefix = info.prefix ?? '';
  return [
    { label: 'Sign in (the password is an Uncloud API token)', line: `docker login ${info.host ?? ''}` },
    { label: 'Tag an image for this project', line: `docker tag my-app:1.0 ${prefix}my-app:1.0` },
    info.canPush
      ? { label: 'Push it', line: `docker push ${prefix}my-app:1.0` }
      : { label: 'Pull it (viewers pull only)', line: `docker pull ${prefix}my-app:1.0` },
  ];
};

/**
 * The project's images in Uncloud's registry: how to push, the repositories and their tags, and
 * the credentials the project gave for other registries.
 */
export function RegistryPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const info = useQuery(trpc.registry.info.queryOptions({ projectId }));
  const enabled = info.data?.enabled === true;
  const repositories = useQuery(trpc.registry.repositories.queryOptions({ projectId }, { enabled }));
  const [open, setOpen] = useState<string | null>(null);

  return (
    <>
      <PageHeader
        title="Registry"
        description="A private container registry for this project's images. Apps whose image is here pull it with a credential Uncloud manages; images on other registries pull with the credentials you give below."
      />
      <div className="grid gap-6">
        {info.isPending ? (
          <LoadingRows rows={3} />
        ) : info.isError ? (
          <ErrorState error={info.error} onRetry={() => void info.refetch()} />
        ) : !info.data.enabled ? (
          <Card>
            <EmptyState icon={<PackageIcon />} title="This server runs no registry">
              An administrator offers one by installing the registry component (Setup) and setting
              UNCLOUD_REGISTRY_HOST to the address it answers at.
            </EmptyState>
          </Card>
        ) : (
          <>
            <Card className="grid gap-3 p-5">
              <h2 className="text-base font-semibold">Push an image</h2>
              <p className="text-sm text-muted-foreground">
                Repositories of this project are named <span className="font-mono">{info.data.prefix}</span>…
                Sign in with any user name and an API token as the password.
              </p>
              <ol className="grid gap-2">
                {registryCommands(info.data).map(({ label, line }) => (
                  <li key={line} className="grid gap-1">
                    <span className="text-xs text-muted-foreground">{label}</span>
                    <div className="flex items-center gap-2">
                      <code className="flex-1 rounded bg-muted px-2 py-1 font-mono text-xs">{line}</code>
                      <CopyButton value={line} label={`Copy: ${label}`} compact />
                    </div>
                  </li>
                ))}
              </ol>
            </Card>
            <Card className="grid gap-4 p-5">
              <h2 className="text-base font-semibold">Repositories</h2>
              {repositories.isPending ? (
                <LoadingRows rows={3} />
              ) : repositories.isError ? (
                <ErrorState error={repositories.error} onRetry={() => void repositories.refetch()} />
              ) : repositories.data.length === 0 ? (
                <EmptyState icon={<PackageIcon />} title="No images yet">
                  Push an image with the lines above; it is listed here with its tags.
                </EmptyState>
              ) : (
                <table className="w-full text-sm" aria-label="Repositories">
                  <thead className="text-left text-muted-foreground">
                    <tr>
                      <th className="py-1 font-medium">Repository</th>
                      <th className="py-1 font-medium">Tags</th>
                      <th className="py-1" />
                    </tr>
                  </thead>
                  <tbody>
                    {repositories.data.map((repo) => (
                      <RepositoryRow
                        key={repo.name}
                        projectId={projectId}
                        repository={repo}
                        open={open === repo.name}
                        onToggle={() => setOpen(open === repo.name ? null : repo.name)}
                      />
                    ))}
                  </tbody>
                </table>
              )}
            </Card>
          </>
        )}
        <RegistryCredentials projectId={projectId} ownHost={info.data?.host ?? null} />
      </div>
    </>
  );
}

function RepositoryRow({
  projectId,
  repository,
  open,
  onToggle,
}: {
  projectId: string;
  repository: { name: string; image: string; tags: string[] };
  open: boolean;
  onToggle: () => void;
}) {
  const inProject = repository.name.slice(repository.name.indexOf('/') + 1);
  return (
    <>
      <tr className="border-t">
        <td className="py-2 font-mono text-xs">{repository.image}</td>
        <td className="py-2">{repository.tags.length === 0 ? 'none' : repository.tags.join(', ')}</td>
        <td className="py-2 text-right">
          <Button variant="ghost" aria-expanded={open} onClick={onToggle}>
            {open ? 'Hide tags' : 'Show tags'}
          </Button>
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={3} className="pb-3">
            <RepositoryTags projectId={projectId} repository={inProject} image={repository.image} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
