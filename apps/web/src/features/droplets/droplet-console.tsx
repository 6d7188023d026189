import type { Droplet } from '@uncloud/sdk';
import { TerminalIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useAccess } from '../../app/access.ts';
import { useToken } from '../../app/use-session.ts';
import { RefusalNote, refusedProps } from '../../components/refusal-note.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Input } from '../../components/ui/input.tsx';

/** Most of a terminal's worth: older output scrolls away rather than growing without end. */
const MAX_OUTPUT = 64 * 1024;

type Status = 'closed' | 'connecting' | 'open' | 'ended';

/** Where the API serves a droplet's console, on this page's origin (ws: or wss: to match). */
export const consoleUrl = (droplet: Pick<Droplet, 'projectId' | 'id'>, origin = window.location) =>
  `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}/api/console/${droplet.projectId}/droplets/${droplet.id}`;

/** The token goes as an offered subprotocol: a browser cannot set headers on a WebSocket. */
export const consoleProtocols = (token: string) => [
  'uncloud.console.v1',
  `bearer.${btoa(token).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`,
];

// Terminal control sequences a serial console sends (colours, cursor moves) would print as noise in
// plain text: they are dropped, and carriage returns with them.
// eslint-disable-next-line no-control-regex
const controlSequences = /\u001b\[[0-9;?]*[A-Za-z]|\r/g;

/**
 * A droplet's serial console: what the guest prints since the console opened (the boot log when
 * opened while it boots) and a line to type into, sent with Enter as a terminal would.
 */
export function DropletConsole({ droplet }: { droplet: Droplet }) {
  const token = useToken();
  const access = useAccess(droplet.projectId);
  const refusal = access.refusal('member', { verb: 'open', object: 'consoles' });
  const [status, setStatus] = useState<Status>('closed');
  const [output, setOutput] = useState('');
  const [reason, setReason] = useState<string | null>(null);
  const [line, setLine] = useState('');
  const socket = useRef<WebSocket | null>(null);
  const screen = useRef<HTMLPreElement | null>(null);

  useEffect(() => () => socket.current?.close(), []);
  useEffect(() => {
    if (screen.current) screen.current.scrollTop = screen.current.scrollHeight;
  }, [output]);

  const open = () => {
    if (!token) return;
    setOutput('');
    setReason(null);
    setStatus('connecting');
    const ws = new WebSocket(consoleUrl(droplet), consoleProtocols(token));
    ws.binaryType = 'arraybuffer';
    const decoder = new TextDecoder();
    ws.onopen = () => setStatus('open');
    ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      const text = typeof event.data === 'string' ? event.data : decoder.decode(event.data, { stream: true });
      setOutput((before) => (before + text.replace(controlSequences, '')).slice(-MAX_OUTPUT));
    };
    ws.onclose = (event) => {
      setStatus('ended');
      setReason(
        event.reason ||
          (event.code === 1000 ? 'The console closed.' : 'The console could not be opened or was cut off.'),
      );
    };
    socket.current = ws;
  };

  const send = (text: string) => {
    if (socket.current?.readyState === WebSocket.OPEN) socket.current.send(new TextEncoder().encode(text));
  };

  const running = droplet.state === 'active';
  return (
    <Card className="lg:col-span-2">
      <CardHeader className="flex flex-row items-center justify-between gap-2">
        <CardTitle>Console</CardTitle>
        {status === 'open' || status === 'connecting' ? (
          <Button variant="outline" size="sm" onClick={() => socket.current?.close()}>
            Close console
          </Button>
        ) : (
          <Button
            variant="outline"
            size="sm"
            onClick={open}
            {...refusedProps(refusal)}
            disabled={Boolean(refusal) || !running}
          >
            <TerminalIcon /> Open console
          </Button>
        )}
      </CardHeader>
      <CardContent className="grid gap-2">
        <RefusalNote refusals={[refusal]} />
        {!running && status === 'closed' ? (
          <p className="text-sm text-muted-foreground">The console opens while the droplet runs.</p>
        ) : null}
        {status !== 'closed' ? (
          <>
            <pre
              ref={screen}
              aria-label="Console output"
              aria-live="polite"
              className="h-72 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100 whitespace-pre-wrap"
            >
              {output || (status === 'connecting' ? 'Connecting…' : '')}
            </pre>
            {status === 'ended' && reason ? <p className="text-sm text-muted-foreground">{reason}</p> : null}
            <form
              onSubmit={(event) => {
                event.preventDefault();
                send(`${line}\r`);
                setLine('');
              }}
            >
              <Input
                aria-label="Type into the console"
                placeholder="Type a line and press Enter"
                className="font-mono"
                value={line}
                disabled={status !== 'open'}
                onChange={(event) => setLine(event.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
            </form>
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
