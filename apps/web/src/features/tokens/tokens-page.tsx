import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiToken, IssuedToken } from '@uncloud/sdk';
import { KeySquareIcon } from 'lucide-react';
import { useState } from 'react';
import { useWhoami } from '../../app/require-auth.tsx';
import { useSignOut } from '../../app/use-session.ts';
import { Time } from '../../components/facts.tsx';
import { IssuedTokenNotice } from '../../components/issued-token-notice.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { useTRPC } from '../../lib/trpc.ts';
import { CreateTokenDialog } from './create-token-dialog.tsx';
import { LastUsed } from './last-used.tsx';
import { expiryText, scopeText } from './token-text.ts';

const badge = 'rounded-full border px-2 py-0.5 text-xs font-medium';

const columns = (projectName: (id: string) => string | undefined): Array<Column<ApiToken>> => [
  {
    header: 'Name',
    cell: (t) => (
      <span className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{t.name}</span>
        {t.current ? (
          <span className={`${badge} border-primary/40 bg-primary/10 text-primary`}>this session</span>
        ) : null}
      </span>
    ),
  },
  {
    header: 'Prefix',
    cell: (t) =>
      t.prefix ? (
        <span className="font-mono text-xs">{t.prefix}…</span>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
  { header: 'Scope', cell: (t) => scopeText(t, projectName) },
  {
    header: 'Expires',
    cell: (t) => {
      const text = expiryText(t.expiresAt);
      return text === 'expired' ? (
        <span className={`${badge} border-destructive/40 bg-destructive/10 text-destructive`}>expired</span>
      ) : (
        <span title={t.expiresAt ? new Date(t.expiresAt).toLocaleString() : undefined}>{text}</span>
      );
    },
  },
  { header: 'Created', cell: (t) => <Time iso={t.createdAt} /> },
  { header: 'Last used', cell: (t) => <LastUsed token={t} /> },
];

/** The signed-in user's API tokens, for scripts, CI and other browsers. */
export function TokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const projects = useWhoami().data?.projects ?? [];
  const projectName = (id: string) => projects.find((p) => p.id === id)?.name;
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const list = useQuery(
    trpc.tokens.list.queryOptions(undefined, { select: (items) => ({ items, nextCursor: null }) }),
  );
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.pathKey() }),
    }),
  );

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens act as you: anything you may do in the console, a script holding one of them may do too — unless the token is read-only or limited to some projects."
        actions={<CreateTokenDialog open={creating} onOpenChange={setCreating} onIssued={setIssued} />}
      />
      {issued ? (
        <IssuedTokenNotice token={issued.token} label="New API token" onDismiss={() => setIssued(null)}>
          Your new token “{issued.name}”. Copy it now: it will not be shown again.
        </IssuedTokenNotice>
      ) : null}
      <ResourceTable
        kind="token"
        label="API tokens"
        query={list}
        columns={columns(projectName)}
        deleteVerb="Revoke"
        onDelete={async (t) => {
          await revoke.mutateAsync({ id: t.id });
          // The token this page was using no longer works: leave at once rather than on the next error.
          if (t.current) signOut();
        }}
        deleteWarning={(t) =>
          t.current
            ? `${t.name} is the token this session uses: revoking it signs you out of the dashboard at once. Anything else using it is refused from now on.`
            : `Anything still using ${t.name} will be refused from now on.`
        }
        empty={{
          icon: <KeySquareIcon />,
          title: 'No tokens',
          body: 'Create a token for each script or machine that talks to Uncloud, so that you can revoke one without touching the others.',
        }}
      />
    </>
  );
}
