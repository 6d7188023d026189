import type { Preflight } from '@uncloud/sdk';
import { CircleAlertIcon, CircleCheckIcon, TriangleAlertIcon } from 'lucide-react';
import { CopyButton } from '../../components/copy-button.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';

const icons = {
  ok: <CircleCheckIcon className="size-4 shrink-0 text-emerald-600" aria-label="ok" />,
  warning: <TriangleAlertIcon className="size-4 shrink-0 text-amber-600" aria-label="warning" />,
  failed: <CircleAlertIcon className="size-4 shrink-0 text-destructive" aria-label="failed" />,
};

const labels: Record<Preflight['checks'][number]['id'], string> = {
  'kubernetes-version': 'Kubernetes version',
  virtualization: 'Virtualization',
  'storage-class': 'Default storage class',
  capacity: 'Capacity',
  cluster: 'Cluster',
};

/** The checks before an install, and k3s: detected, or the pinned commands to install it. */
export function PreflightCard({ preflight, onRecheck }: { preflight: Preflight; onRecheck: () => void }) {
  const { k3s } = preflight;
  return (
    <Card aria-label="Preflight">
      <CardHeader className="flex flex-row items-center justify-between">
        <CardTitle>Preflight</CardTitle>
        <Button size="sm" variant="outline" onClick={onRecheck}>
          Check again
        </Button>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-4 text-sm">
        <ul className="grid grid-cols-1 gap-2">
          {preflight.checks.map((check) => (
            <li
              key={check.id}
              data-check={check.id}
              data-status={check.status}
              className="flex items-start gap-2"
            >
              {icons[check.status]}
              <span className="min-w-0 break-words">
                <span className="font-medium">{labels[check.id]}: </span>
                {check.message}
              </span>
            </li>
          ))}
        </ul>
        <div data-testid="k3s">
          {k3s.detected ? (
            <p>
              k3s detected: <span className="font-mono">{k3s.version}</span>.
            </p>
          ) : (
            <p>
              No k3s server found{k3s.version ? ` (Kubernetes ${k3s.version})` : ''}. k3s is installed on the
              host, not by Uncloud: the commands below make one.
            </p>
          )}
          <p className="mt-2 text-muted-foreground">Install a server (pinned to {k3s.pinnedVersion}):</p>
          <pre className="mt-1 flex items-start gap-2 overflow-x-auto rounded-md bg-muted p-2 text-xs">
            <code className="flex-1">{k3s.installCommand}</code>
            <CopyButton value={k3s.installCommand} label="Copy the install command" />
          </pre>
          <p className="mt-2 text-muted-foreground">Join an agent node:</p>
          <pre className="mt-1 flex items-start gap-2 overflow-x-auto rounded-md bg-muted p-2 text-xs">
            <code className="flex-1">{k3s.joinCommand}</code>
            <CopyButton value={k3s.joinCommand} label="Copy the join command" />
          </pre>
        </div>
      </CardContent>
    </Card>
  );
}
