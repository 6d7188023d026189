import { type App, EnvPrefix, databaseVariables } from '@uncloud/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useAccess } from '../../app/access.ts';
import { useProjectId } from '../../app/use-project.ts';
import { Button } from '../../components/ui/button.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Label } from '../../components/ui/label.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { useTRPC } from '../../lib/trpc.ts';

/**
 * The databases attached to an app, the variables each gives its pods (names only: the values stay
 * in the database's Secret), and a small form to attach another or detach one. Members and owners
 * change them; others see why not.
 */
export function AppDatabases({ app }: { app: App }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const projectId = useProjectId();
  const refusal = useAccess().refusal('member', { verb: 'attach databases to', object: 'apps' });
  const databases = useQuery(trpc.databases.list.queryOptions({ projectId, limit: 100 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() });
  const attach = useMutation(trpc.apps.attachDatabase.mutationOptions({ onSuccess: refresh }));
  const detach = useMutation(trpc.apps.detachDatabase.mutationOptions({ onSuccess: refresh }));
  const [databaseId, setDatabaseId] = useState('');
  const [envPrefix, setEnvPrefix] = useState('DATABASE');
  const selectId = useId();
  const prefixId = useId();
  const prefixHintId = useId();

  const all = databases.data?.items ?? [];
  const nameOf = (id: string) => all.find((d) => d.id === id)?.name ?? id;
  const attachable = all.filter(
    (d) => d.state !== 'deleting' && !app.databases.some((a) => a.databaseId === d.id),
  );
  const chosen = attachable.find((d) => d.id === databaseId) ?? attachable[0];
  const prefix = EnvPrefix.safeParse(envPrefix);
  const preview = chosen && prefix.success ? databaseVariables(chosen.engine, prefix.data) : [];
  const failure = attach.error ?? detach.error;

  return (
    <div className="grid gap-3">
      {app.databases.length === 0 ? (
        <p className="text-sm text-muted-foreground">No database attached.</p>
      ) : (
        <ul className="grid gap-2" aria-label="Attached databases">
          {app.databases.map((a) => (
            <li key={a.databaseId} className="flex items-start justify-between gap-2">
              <div className="grid gap-0.5">
                <span className="text-sm font-medium">{nameOf(a.databaseId)}</span>
                <span className="font-mono text-xs text-muted-foreground">{a.variables.join(' ')}</span>
              </div>
              <Button
                variant="outline"
                size="sm"
                disabled={refusal !== null || detach.isPending}
                title={refusal?.text}
                onClick={() => detach.mutate({ projectId, id: app.id, databaseId: a.databaseId })}
              >
                Detach {nameOf(a.databaseId)}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {refusal ? (
        <p className="text-xs text-muted-foreground">{refusal.text}</p>
      ) : attachable.length === 0 ? (
        <p className="text-xs text-muted-foreground">
          {all.length === 0
            ? 'The project has no database to attach.'
            : 'Every database of the project is attached.'}
        </p>
      ) : (
        <form
          className="grid gap-2"
          aria-label="Attach a database"
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen && prefix.success)
              attach.mutate({ projectId, id: app.id, databaseId: chosen.id, envPrefix: prefix.data });
          }}
        >
          <div className="grid gap-1">
            <Label htmlFor={selectId}>Database</Label>
            <select
              id={selectId}
              className="h-9 rounded-md border bg-background px-2 text-sm"
              value={chosen?.id ?? ''}
              onChange={(e) => setDatabaseId(e.target.value)}
            >
              {attachable.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d.engine})
                </option>
              ))}
            </select>
          </div>
          <div className="grid gap-1">
            <Label htmlFor={prefixId}>Variable prefix</Label>
            <Input
              id={prefixId}
              value={envPrefix}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={!prefix.success}
              aria-describedby={prefixHintId}
              onChange={(e) => setEnvPrefix(e.target.value)}
            />
            <p id={prefixHintId} className="text-xs text-muted-foreground">
              {prefix.success
                ? `The app's pods get ${preview.join(', ')}, read from the database's Secret; they restart to pick them up.`
                : `The prefix ${prefix.error.issues[0]?.message ?? 'is not valid'}.`}
            </p>
          </div>
          <Button
            type="submit"
            size="sm"
            className="justify-self-start"
            disabled={!prefix.success || attach.isPending}
          >
            Attach
          </Button>
        </form>
      )}
      {failure ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(failure)}
        </p>
      ) : null}
    </div>
  );
}
