import type { Component, ComponentName } from '@uncloud/sdk';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';

export type ComponentChange =
  | { kind: 'install'; name: ComponentName; version: string; variant?: string }
  | { kind: 'upgrade'; name: ComponentName; version: string }
  | { kind: 'repair' | 'uninstall'; name: ComponentName };

const verbs = { install: 'Install', upgrade: 'Upgrade', repair: 'Repair', uninstall: 'Uninstall' } as const;

/** The choices of version (and, for storage, provider) an install or upgrade offers. */
const choices = (c: Component) =>
  c.available.map((v) => ({
    key: `${v.variant ?? ''}@${v.version}`,
    label: v.variant ? `${v.variant} ${v.version}` : v.version,
    ...v,
  }));

/** One cluster component: its state, version, health, last error, and what an administrator may do. */
export function ComponentCard({
  component: c,
  onChange,
}: {
  component: Component;
  onChange: (change: ComponentChange) => Promise<unknown>;
}) {
  const [asking, setAsking] = useState<'install' | 'upgrade' | 'repair' | 'uninstall' | null>(null);
  const options = choices(c).filter((o) => asking !== 'upgrade' || o.variant === c.variant);
  const [choice, setChoice] = useState(options[0]?.key ?? '');
  const chosen = options.find((o) => o.key === choice) ?? options[0];
  const busy = c.action?.status === 'in-progress';
  const checkOnly = c.available.length === 0;
  const installable = !checkOnly && !c.managed;

  const open = (what: NonNullable<typeof asking>) => {
    const first = choices(c).find(
      (o) => what !== 'upgrade' || (o.variant === c.variant && o.version !== c.version),
    );
    setChoice(first?.key ?? '');
    setAsking(what);
  };
  const confirm = () => {
    if (asking === 'install' && chosen)
      return onChange({
        kind: 'install',
        name: c.name,
        version: chosen.version,
        ...(chosen.variant ? { variant: chosen.variant } : {}),
      });
    if (asking === 'upgrade' && chosen)
      return onChange({ kind: 'upgrade', name: c.name, version: chosen.version });
    return onChange({ kind: asking === 'repair' ? 'repair' : 'uninstall', name: c.name });
  };

  return (
    <Card data-component={c.name} aria-label={c.title}>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-2">
        <div>
          <CardTitle className="flex items-center gap-2">
            {c.title}
            {c.required ? (
              <span className="rounded-full border px-2 py-0.5 text-xs font-normal text-muted-foreground">
                required
              </span>
            ) : null}
          </CardTitle>
          <p className="mt-1 text-sm text-muted-foreground">{c.description}</p>
        </div>
        <StateBadge state={c.state} />
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-3 text-sm break-words">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="text-muted-foreground">Version</dt>
          <dd data-testid="version">
            {c.version ? `${c.variant ? `${c.variant} ` : ''}${c.version}` : '—'}
            {c.installedVersion && c.installedVersion !== c.version
              ? ` (applied: ${c.installedVersion})`
              : ''}
          </dd>
          {c.action ? (
            <>
              <dt className="text-muted-foreground">Last action</dt>
              <dd data-testid="action">
                {c.action.type} {c.action.version}: {c.action.status}
              </dd>
            </>
          ) : null}
        </dl>
        {c.health.length > 0 ? (
          <ul className="grid gap-0.5" aria-label={`Health of ${c.title}`}>
            {c.health.map((h) => (
              <li key={h.object} className="flex justify-between gap-4">
                <span className="truncate font-mono text-xs">{h.object}</span>
                <span className={h.ready ? 'text-emerald-700' : 'text-amber-700'}>{h.message}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {c.lastError ? (
          <p role="status" className="text-destructive" data-testid="last-error">
            {c.lastError}
          </p>
        ) : null}
        {c.warnings.map((w) => (
          <p key={w} className="text-amber-700">
            {w}
          </p>
        ))}
        <div className="flex flex-wrap gap-2">
          {installable || c.state === 'error' ? (
            <Button size="sm" disabled={busy} onClick={() => open('install')}>
              Install
            </Button>
          ) : null}
          {c.managed && c.available.filter((v) => v.variant === c.variant).length > 1 ? (
            <Button size="sm" variant="outline" disabled={busy} onClick={() => open('upgrade')}>
              Upgrade
            </Button>
          ) : null}
          {c.managed ? (
            <>
              <Button size="sm" variant="outline" disabled={busy} onClick={() => open('repair')}>
                Repair
              </Button>
              <Button size="sm" variant="outline" onClick={() => open('uninstall')}>
                Uninstall
              </Button>
            </>
          ) : null}
        </div>
      </CardContent>
      <ConfirmDialog
        open={asking !== null}
        onOpenChange={(next) => !next && setAsking(null)}
        title={`${asking ? verbs[asking] : ''} ${c.title}?`}
        confirmLabel={asking ? verbs[asking] : ''}
        onConfirm={confirm}
        description={
          <span className="grid gap-2">
            {asking === 'install' || asking === 'upgrade' ? (
              <>
                <label className="grid gap-1">
                  <span>
                    {c.name === 'storage' && asking === 'install' ? 'Provider and version' : 'Version'}
                  </span>
                  <select
                    className="rounded-md border bg-background px-2 py-1"
                    value={chosen?.key ?? ''}
                    onChange={(e) => setChoice(e.target.value)}
                  >
                    {options
                      .filter((o) => asking !== 'upgrade' || o.version !== c.version)
                      .map((o) => (
                        <option key={o.key} value={o.key}>
                          {o.label}
                          {o.verified ? '' : ' (checksum not recorded)'}
                        </option>
                      ))}
                  </select>
                </label>
                {chosen && chosen.sources.length > 0 ? (
                  <span>
                    Uncloud fetches {chosen.sources.length === 1 ? 'this file' : 'these files'}, checks{' '}
                    {chosen.sources.length === 1 ? 'its' : 'their'} SHA-256 and applies{' '}
                    {chosen.sources.length === 1 ? 'it' : 'them'} to the cluster:{' '}
                    {chosen.sources.map((s) => (
                      <code key={s} className="block break-all text-xs">
                        {s}
                      </code>
                    ))}
                  </span>
                ) : (
                  <span>Uncloud writes this component's objects itself.</span>
                )}
              </>
            ) : asking === 'repair' ? (
              <span>
                Applies {c.version} again, putting back anything changed or deleted behind Uncloud's back.
              </span>
            ) : (
              <span>
                Deletes everything Uncloud applied for {c.title}, with its custom resources and their data.
                Resources that need it stop working.
              </span>
            )}
          </span>
        }
      />
    </Card>
  );
}
