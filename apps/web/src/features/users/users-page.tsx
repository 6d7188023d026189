import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateUserInput, type CreatedUser, type User } from '@uncloud/sdk';
import { PlusIcon, ShieldIcon, UsersIcon } from 'lucide-react';
import { useState } from 'react';
import { useAccess } from '../../app/access.ts';
import { useWhoami } from '../../app/require-auth.tsx';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { IssuedTokenNotice } from '../../components/issued-token-notice.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RefusalNote } from '../../components/refusal-note.tsx';
import { EmptyState, LoadingRows } from '../../components/query-states.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card } from '../../components/ui/card.tsx';
import { Input } from '../../components/ui/input.tsx';
import { formatAge } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { UserRowActions } from './user-row-actions.tsx';

type UserForm = { name: string; email: string; isAdmin: boolean };

const toInput = (f: UserForm) => ({
  name: f.name.trim(),
  email: f.email.trim() || undefined,
  isAdmin: f.isAdmin,
});

const columns: Array<Column<User>> = [
  {
    header: 'Name',
    cell: (u) => (
      <span className="flex items-center gap-2 font-medium">
        {u.name}
        {u.isAdmin ? (
          <span className="rounded-full border border-primary/40 bg-primary/10 px-2 py-0.5 text-xs font-medium text-primary">
            Admin
          </span>
        ) : null}
        {u.disabledAt ? (
          <span className="rounded-full border border-destructive/40 bg-destructive/10 px-2 py-0.5 text-xs font-medium text-destructive">
            Disabled
          </span>
        ) : null}
      </span>
    ),
  },
  { header: 'Email', cell: (u) => u.email ?? <span className="text-muted-foreground">—</span> },
  { header: 'Created', cell: (u) => <time dateTime={u.createdAt}>{formatAge(u.createdAt)}</time> },
];

/** The people who may sign in; only administrators see and add them. */
export function UsersPage() {
  const whoami = useWhoami();
  const refusal = useAccess().refusal('admin', { verb: 'manage', object: 'users', read: true });
  if (whoami.isPending) return <LoadingRows />;
  // The list is admin-only on the server: asking for it would only earn a 403.
  if (refusal || !whoami.data)
    return (
      <>
        <PageHeader title="Users" />
        <Card>
          <EmptyState icon={<ShieldIcon />} title="Only administrators manage users">
            <RefusalNote className="justify-center" refusals={[refusal]} />
            <p className="mt-2">
              To work with someone in a project, a project owner adds them on the project’s settings page.
            </p>
          </EmptyState>
        </Card>
      </>
    );
  return <UsersAdmin selfId={whoami.data.user.id} />;
}

function UsersAdmin({ selfId }: { selfId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const list = useQuery(
    trpc.users.list.queryOptions(undefined, { select: (items) => ({ items, nextCursor: null }) }),
  );
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.users.list.pathKey() }),
    }),
  );

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who may sign in. A new user gets one API token, which they use to sign in and to create more."
        actions={
          <CreateDialog
            title="Create a user"
            description="Their first API token is shown once, right after the user is created. Hand it to them safely."
            open={creating}
            onOpenChange={setCreating}
            trigger={
              <Button>
                <PlusIcon aria-hidden /> Create user
              </Button>
            }
            schema={CreateUserInput}
            defaultValues={{ name: '', email: '', isAdmin: false } satisfies UserForm}
            toInput={toInput}
            onSubmit={async (input) => setCreated(await create.mutateAsync(input))}
            submitLabel="Create user"
          >
            {(form) => (
              <>
                <FormField
                  form={form}
                  name="name"
                  label="Name"
                  hint="Lowercase letters, digits, '-', '.' or '_'."
                >
                  {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
                </FormField>
                <FormField form={form} name="email" label="Email (optional)">
                  {(p) => <Input type="email" autoComplete="off" {...p} />}
                </FormField>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" className="size-4 accent-primary" {...form.register('isAdmin')} />
                  Administrator: may manage users and every project
                </label>
              </>
            )}
          </CreateDialog>
        }
      />
      {created ? (
        <IssuedTokenNotice
          token={created.token.token}
          label="New user's API token"
          onDismiss={() => setCreated(null)}
        >
          {created.user.name} can sign in with this token. Copy it now: it will not be shown again.
        </IssuedTokenNotice>
      ) : null}
      <ResourceTable
        kind="user"
        label="Users"
        query={list}
        columns={columns}
        rowActions={(u) => <UserRowActions user={u} self={u.id === selfId} />}
        empty={{
          icon: <UsersIcon />,
          title: 'No users',
          body: 'Create a user for each person, so that each has their own tokens and project roles.',
        }}
      />
    </>
  );
}
