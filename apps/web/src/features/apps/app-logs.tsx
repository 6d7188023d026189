import type { App, AppLogLine } from '@uncloud/sdk';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { useProjectId } from '../../app/use-project.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { Label } from '../../components/ui/label.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { useTRPC, useTRPCClient } from '../../lib/trpc.ts';

const TAIL_SIZES = [100, 200, 500, 1000, 5000];
// A followed log keeps at most this many lines in the page (the oldest go first).
const MAX_FOLLOWED_LINES = 5000;

const selectClass =
  'h-9 rounded-md border border-input bg-transparent px-2 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring';

/**
 * An app's logs, from its replicas through the server: all replicas or one, the last lines of each,
 * and with Follow the new lines as they are written. The view stays at the bottom while the reader
 * is there, and leaves them be when they scroll up to read.
 */
export function AppLogs({ app }: { app: App }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const projectId = useProjectId();
  const [pod, setPod] = useState('');
  const [tailLines, setTailLines] = useState(200);
  const [follow, setFollow] = useState(false);
  const [followed, setFollowed] = useState<AppLogLine[]>([]);
  const [followError, setFollowError] = useState<unknown>(null);
  const podId = useId();
  const tailId = useId();
  const input = { projectId, id: app.id, tailLines, ...(pod ? { pod } : {}) };
  const recent = useQuery(trpc.apps.logs.queryOptions(input));

  useEffect(() => {
    setFollowed([]);
    setFollowError(null);
    if (!follow) return;
    // New lines only: the recent ones are on screen already.
    const subscription = client.apps.followLogs.subscribe(
      { projectId, id: app.id, tailLines: 0, ...(pod ? { pod } : {}) },
      {
        onData: (line) => setFollowed((lines) => [...lines, line].slice(-MAX_FOLLOWED_LINES)),
        onError: (error) => setFollowError(error),
      },
    );
    return () => subscription.unsubscribe();
  }, [client, projectId, app.id, pod, follow]);

  const lines = [...(recent.data?.lines ?? []), ...followed];
  const replicas = recent.data?.replicas ?? [];
  const text = lines.map((l) => `${l.pod} ${l.at ?? ''} ${l.text}`).join('\n');

  // Stick to the bottom while the reader is there.
  const view = useRef<HTMLPreElement>(null);
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    const el = view.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  const onScroll = () => {
    const el = view.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };

  const error = recent.error ?? followError;
  return (
    <section aria-label="Logs" className="grid grid-cols-1 gap-3">
      <div className="flex flex-wrap items-end gap-3">
        {/* Replica names are long: the picker shrinks to the screen instead of widening the page. */}
        <div className="grid w-full min-w-0 gap-1 sm:w-auto">
          <Label htmlFor={podId}>Replica</Label>
          <select
            id={podId}
            className={`${selectClass} w-full sm:w-auto`}
            value={pod}
            onChange={(e) => setPod(e.target.value)}
          >
            <option value="">All replicas ({replicas.length})</option>
            {replicas.map((r) => (
              <option key={r.pod} value={r.pod}>
                {r.pod} · {r.ready ? 'ready' : r.phase.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div className="grid gap-1">
          <Label htmlFor={tailId}>Last lines</Label>
          <select
            id={tailId}
            className={selectClass}
            value={tailLines}
            onChange={(e) => setTailLines(Number(e.target.value))}
          >
            {TAIL_SIZES.map((n) => (
              <option key={n} value={n}>
                {n} per replica
              </option>
            ))}
          </select>
        </div>
        <label className="flex h-9 items-center gap-2 text-sm">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          Follow
        </label>
        <CopyButton value={text} label="Copy logs" />
      </div>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(error)}
        </p>
      ) : null}
      <pre
        ref={view}
        role="log"
        aria-label="App log lines"
        aria-live={follow ? 'polite' : 'off'}
        onScroll={onScroll}
        className="max-h-96 min-h-32 overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs leading-5"
      >
        {recent.isPending
          ? 'Loading…'
          : lines.length === 0
            ? replicas.length === 0
              ? 'No replica is running: scale the app up to see its logs.'
              : 'No lines yet.'
            : lines.map((l, i) => (
                <div key={i} className="whitespace-pre-wrap break-all">
                  {!pod && replicas.length > 1 ? (
                    <span className="text-muted-foreground">{l.pod} </span>
                  ) : null}
                  {l.text}
                </div>
              ))}
      </pre>
      {follow && !error ? <p className="text-xs text-muted-foreground">Following new lines…</p> : null}
    </section>
  );
}
