import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UserApiToken } from '@uncloud/sdk';
import { KeySquareIcon, ShieldIcon } from 'lucide-react';
import { useState } from 'react';
import { useAccess } from '../../app/access.ts';
import { useWhoami } from '../../app/require-auth.tsx';
import { useSignOut } from '../../app/use-session.ts';
import { Time } from '../../components/facts.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, LoadingRows } from '../../components/query-states.tsx';
import { RefusalNote } from '../../components/refusal-note.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { Card } from '../../components/ui/card.tsx';
import { useTRPC } from '../../lib/trpc.ts';
import { LastUsed } from '../tokens/last-used.tsx';
import { expiryText } from '../tokens/token-text.ts';

const badge = 'rounded-full border px-2 py-0.5 text-xs font-medium';

const columns: Array<Column<UserApiToken>> = [
  {
    header: 'User',
    cell: (t) => (
      <span className="flex flex-wrap items-center gap-2 font-medium">
        {t.user.name}
        {t.user.isAdmin ? (
          <span className={`${badge} border-primary/40 bg-primary/10 text-primary`}>Admin</span>
        ) : null}
      </span>
    ),
  },
  {
    header: 'Token',
    cell: (t) => (
      <span className="flex flex-wrap items-center gap-2">
        <span>{t.name}</span>
        {t.prefix ? <span className="font-mono text-xs text-muted-foreground">{t.prefix}…</span> : null}
        {t.readOnly ? <span className={badge}>read-only</span> : null}
        {t.projectIds ? <span className={badge}>{t.projectIds.length} project(s)</span> : null}
        {t.current ? (
          <span className={`${badge} border-primary/40 bg-primary/10 text-primary`}>this session</span>
        ) : null}
      </span>
    ),
  },
  { header: 'Last used', cell: (t) => <LastUsed token={t} /> },
  { header: 'Expires', cell: (t) => expiryText(t.expiresAt) },
  { header: 'Created', cell: (t) => <Time iso={t.createdAt} /> },
];

/** Who is signed in with which token: every user's tokens and where each was last used (administrators). */
export function SessionsPage() {
  const whoami = useWhoami();
  const refusal = useAccess().refusal('admin', { verb: 'see', object: "everyone's tokens", read: true });
  if (whoami.isPending) return <LoadingRows />;
  if (refusal)
    return (
      <>
        <PageHeader title="Sign-ins and tokens" />
        <Card>
          <EmptyState icon={<ShieldIcon />} title="Only administrators see everyone's tokens">
            <RefusalNote className="justify-center" refusals={[refusal]} />
            <p className="mt-2">Your own tokens, and where each was last used, are on the API tokens page.</p>
          </EmptyState>
        </Card>
      </>
    );
  return <AllTokens />;
}

function AllTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const list = useQuery(
    trpc.users.allTokens.queryOptions(undefined, {
      select: (items) => ({
        items: needle
          ? items.filter((t) => `${t.user.name} ${t.name}`.toLowerCase().includes(needle))
          : items,
        nextCursor: null,
      }),
    }),
  );
  const revoke = useMutation(
    trpc.users.revokeToken.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.users.allTokens.pathKey() }),
    }),
  );

  return (
    <>
      <PageHeader
        title="Sign-ins and tokens"
        description="Every user's API tokens, the most recently used first: when each was last used, from which address, and whether by the dashboard in a browser or by the API (the CLI, the SDK, scripts). Revoking a token refuses its next request."
      />
      <ResourceTable
        kind="token"
        label="Sign-ins and tokens"
        query={list}
        columns={columns}
        filter={{ value: search, onChange: setSearch }}
        deleteVerb="Revoke"
        onDelete={async (t) => {
          await revoke.mutateAsync({ userId: t.user.id, id: t.id });
          if (t.current) signOut();
        }}
        deleteWarning={(t) =>
          t.current
            ? `${t.name} is the token this session uses: revoking it signs you out of the dashboard at once.`
            : `${t.user.name}'s token ${t.name} stops working at once: the dashboard or script using it is refused from its next request.`
        }
        empty={{
          icon: <KeySquareIcon />,
          title: 'No tokens',
          body: 'Every user gets a token when they are created; none is left.',
        }}
      />
    </>
  );
}
