import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateTokenInput, type ApiToken, type IssuedToken } from '@uncloud/sdk';
import { KeySquareIcon, PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { IssuedTokenNotice } from '../../components/issued-token-notice.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Input } from '../../components/ui/input.tsx';
import { formatAge } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';

type TokenForm = { name: string };

const columns: Array<Column<ApiToken>> = [
  { header: 'Name', cell: (t) => <span className="font-medium">{t.name}</span> },
  { header: 'Created', cell: (t) => <time dateTime={t.createdAt}>{formatAge(t.createdAt)}</time> },
  {
    header: 'Last used',
    cell: (t) => (t.lastUsedAt ? <time dateTime={t.lastUsedAt}>{formatAge(t.lastUsedAt)}</time> : 'Never'),
  },
];

/** The signed-in user's API tokens, for scripts, CI and other browsers. */
export function TokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const list = useQuery(
    trpc.tokens.list.queryOptions(undefined, { select: (items) => ({ items, nextCursor: null }) }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.pathKey() });
  const create = useMutation(trpc.tokens.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSettled: refresh }));

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens act as you: anything you may do in the console, a script holding one of them may do too."
        actions={
          <CreateDialog
            title="Create an API token"
            description="The token is shown once, right after it is created. Store it somewhere safe."
            open={creating}
            onOpenChange={setCreating}
            trigger={
              <Button>
                <PlusIcon aria-hidden /> Create token
              </Button>
            }
            schema={CreateTokenInput}
            defaultValues={{ name: '' } satisfies TokenForm}
            onSubmit={async (input) => setIssued(await create.mutateAsync(input))}
            submitLabel="Create token"
          >
            {(form) => (
              <FormField
                form={form}
                name="name"
                label="Name"
                hint="What the token is for, e.g. “deploy from CI”."
              >
                {(p) => <Input autoComplete="off" {...p} />}
              </FormField>
            )}
          </CreateDialog>
        }
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
        columns={columns}
        deleteVerb="Revoke"
        onDelete={(t) => revoke.mutateAsync({ id: t.id })}
        deleteWarning={(t) =>
          `Anything still using ${t.name} will be refused from now on. If this is the token you signed in with, you will be signed out.`
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
