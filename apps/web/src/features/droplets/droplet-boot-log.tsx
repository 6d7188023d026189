import { useQuery } from '@tanstack/react-query';
import type { Droplet } from '@uncloud/sdk';
import { RefreshCwIcon, ScrollTextIcon } from 'lucide-react';
import { useState } from 'react';
import { useAccess } from '../../app/access.ts';
import { Time } from '../../components/facts.tsx';
import { RefusalNote, refusedProps } from '../../components/refusal-note.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { useTRPC } from '../../lib/trpc.ts';

/**
 * A droplet's boot log: what its serial console printed (kernel, systemd, cloud-init, the login
 * prompt), read when asked for — reading it opens the console for a moment — and again on refresh.
 */
export function DropletBootLog({ droplet }: { droplet: Droplet }) {
  const trpc = useTRPC();
  const access = useAccess(droplet.projectId);
  const refusal = access.refusal('member', { verb: 'read', object: 'boot logs' });
  const [shown, setShown] = useState(false);
  const log = useQuery(
    trpc.droplets.bootLog.queryOptions(
      { projectId: droplet.projectId, id: droplet.id },
      { enabled: shown, retry: false, refetchOnWindowFocus: false },
    ),
  );
  const running = droplet.state === 'active';
  return (
    <Card className="lg:col-span-2">
      <CardHeader className="flex flex-row items-center justify-between gap-2">
        <CardTitle>Boot log</CardTitle>
        {shown ? (
          <Button variant="outline" size="sm" onClick={() => void log.refetch()} disabled={log.isFetching}>
            <RefreshCwIcon /> {log.isFetching ? 'Reading…' : 'Refresh boot log'}
          </Button>
        ) : (
          <Button
            variant="outline"
            size="sm"
            onClick={() => setShown(true)}
            {...refusedProps(refusal)}
            disabled={Boolean(refusal) || !running}
          >
            <ScrollTextIcon /> Show boot log
          </Button>
        )}
      </CardHeader>
      <CardContent className="grid gap-2">
        <RefusalNote refusals={[refusal]} />
        {!running && !shown ? (
          <p className="text-sm text-muted-foreground">
            The boot log is read from the console while the droplet runs.
          </p>
        ) : null}
        {shown && log.error ? (
          <p role="alert" className="text-sm text-destructive">
            {log.error.message}
          </p>
        ) : null}
        {shown && log.data ? (
          <>
            <pre
              aria-label="Boot log"
              className="max-h-96 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100 whitespace-pre-wrap"
            >
              {log.data.lines.length > 0 ? log.data.lines.join('\n') : 'The console printed nothing yet.'}
            </pre>
            <p className="text-xs text-muted-foreground">
              Read <Time iso={log.data.capturedAt} />.
            </p>
          </>
        ) : null}
        {shown && log.isPending ? (
          <p className="text-sm text-muted-foreground">Reading the console…</p>
        ) : null}
      </CardContent>
    </Card>
  );
}
