import type { Droplet } from '@uncloud/sdk';
import { MonitorIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useAccess } from '../../app/access.ts';
import { useToken } from '../../app/use-session.ts';
import { RefusalNote, refusedProps } from '../../components/refusal-note.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { consoleProtocols } from './droplet-console.tsx';

type Status = 'closed' | 'connecting' | 'open' | 'ended';

/** Where the API serves a droplet's screen (RFB over a WebSocket), on this page's origin. */
export const screenUrl = (droplet: Pick<Droplet, 'projectId' | 'id'>, origin = window.location) =>
  `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}/api/vnc/${droplet.projectId}/droplets/${droplet.id}`;

/** The token as an offered subprotocol, after noVNC's own `binary`, which the API picks. */
export const screenProtocols = (token: string) => ['binary', consoleProtocols(token)[1]!];

interface Rfb {
  disconnect(): void;
  scaleViewport: boolean;
  addEventListener(type: string, listener: (event: Event) => void): void;
}

/**
 * A droplet's screen, through noVNC: KubeVirt's VNC subresource proxied by the API, for guests that
 * show something other than a serial console (installers, desktops). noVNC is loaded on first use.
 */
export function DropletScreen({ droplet }: { droplet: Droplet }) {
  const token = useToken();
  const access = useAccess(droplet.projectId);
  const refusal = access.refusal('member', { verb: 'open', object: 'screens' });
  const [status, setStatus] = useState<Status>('closed');
  const [reason, setReason] = useState<string | null>(null);
  const screen = useRef<HTMLDivElement | null>(null);
  const rfb = useRef<Rfb | null>(null);

  useEffect(() => () => rfb.current?.disconnect(), []);

  const open = async () => {
    if (!token) return;
    setReason(null);
    setStatus('connecting');
    const { default: RFB } = await import('@novnc/novnc');
    if (!screen.current) return;
    const client = new RFB(screen.current, screenUrl(droplet), { wsProtocols: screenProtocols(token) });
    client.scaleViewport = true;
    client.addEventListener('connect', () => setStatus('open'));
    client.addEventListener('disconnect', (event) => {
      const clean = (event as CustomEvent<{ clean: boolean }>).detail?.clean;
      setStatus('ended');
      setReason(clean ? 'The screen closed.' : 'The screen could not be opened or was cut off.');
      rfb.current = null;
    });
    rfb.current = client;
  };

  const running = droplet.state === 'active';
  return (
    <Card className="lg:col-span-2">
      <CardHeader className="flex flex-row items-center justify-between gap-2">
        <CardTitle>Screen</CardTitle>
        {status === 'open' || status === 'connecting' ? (
          <Button variant="outline" size="sm" onClick={() => rfb.current?.disconnect()}>
            Close screen
          </Button>
        ) : (
          <Button
            variant="outline"
            size="sm"
            onClick={() => void open()}
            {...refusedProps(refusal)}
            disabled={Boolean(refusal) || !running}
          >
            <MonitorIcon /> Open screen
          </Button>
        )}
      </CardHeader>
      <CardContent className="grid gap-2">
        <RefusalNote refusals={[refusal]} />
        {!running && status === 'closed' ? (
          <p className="text-sm text-muted-foreground">The screen opens while the droplet runs (VNC).</p>
        ) : null}
        <div
          ref={screen}
          role="img"
          aria-label="Droplet screen"
          data-status={status}
          hidden={status === 'closed'}
          className="h-72 overflow-hidden rounded-md bg-zinc-950"
        />
        {status === 'connecting' ? <p className="text-sm text-muted-foreground">Connecting…</p> : null}
        {status === 'ended' && reason ? <p className="text-sm text-muted-foreground">{reason}</p> : null}
      </CardContent>
    </Card>
  );
}
