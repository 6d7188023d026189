import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateTokenInput, type ApiToken, type IssuedToken } from '@uncloud/sdk';
import { CopyIcon, KeySquareIcon, PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card } from '../../components/ui/card.tsx';
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
  const list = useQuery(trpc.tokens.list.queryOptions(undefined, { select: (items) => ({ items, nextCursor: null }) }));
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
              <FormField form={form} name="name" label="Name" hint="What the token is for, e.g. “deploy from CI”.">
                {(p) => <Input autoComplete="off" {...p} />}
              </FormField>
            )}
          </CreateDialog>
        }
      />
      {issued ? <IssuedTokenNotice token={issued} onDismiss={() => setIssued(null)} /> : null}
      <ResourceTable
        kind="token"
        label="API tokens"
        query={list}
        columns={columns}
        deleteVerb="Revoke"
        onDelete={(t) => revoke.mutateAsync({ id: t.id })}
        deleteWarning={(t) => `Anything still using ${t.name} will be refused from now on. If this is the token you signed in with, you will be signed out.`}
        empty={{
          icon: <KeySquareIcon />,
          title: 'No tokens',
          body: 'Create a token for each script or machine that talks to Uncloud, so that you can revoke one without touching the others.',
        }}
      />
    </>
  );
}

function IssuedTokenNotice({ token, onDismiss }: { token: IssuedToken; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Card role="status" className="mb-6 grid gap-3 border-primary/50 p-5">
      <p className="text-sm font-medium">
        Your new token “{token.name}”. Copy it now: it will not be shown again.
      </p>
      <div className="flex gap-2">
        <label htmlFor="issued-token" className="sr-only">
          New API token
        </label>
        <Input id="issued-token" readOnly value={token.token} className="font-mono" onFocus={(e) => e.target.select()} />
        <Button
          variant="outline"
          onClick={() => {
            navigator.clipboard.writeText(token.token).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          <CopyIcon aria-hidden /> {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button variant="ghost" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </Card>
  );
}
