import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '@uncloud/sdk';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Button } from '../../components/ui/button.tsx';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '../../components/ui/dialog.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { formatAge } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { expiryPhrase } from '../tokens/token-text.ts';

/**
 * What an administrator may do to one user: see and revoke their tokens, disable or enable them,
 * delete them. Not to themselves: the server refuses that, so the row says why instead.
 */
export function UserRowActions({ user, self }: { user: User; self: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.pathKey() });
  const disable = useMutation(trpc.users.disable.mutationOptions({ onSuccess: refresh }));
  const enable = useMutation(trpc.users.enable.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.users.delete.mutationOptions({ onSuccess: refresh }));
  const [confirming, setConfirming] = useState<'disable' | 'delete' | null>(null);
  const [tokens, setTokens] = useState(false);

  if (self)
    return <span className="text-xs text-muted-foreground">You cannot disable or delete yourself</span>;
  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setTokens(true)}>
        Tokens
      </Button>
      {user.disabledAt ? (
        <Button variant="outline" size="sm" onClick={() => void enable.mutateAsync({ userId: user.id })}>
          Enable
        </Button>
      ) : (
        <Button variant="outline" size="sm" onClick={() => setConfirming('disable')}>
          Disable
        </Button>
      )}
      <Button variant="outline" size="sm" onClick={() => setConfirming('delete')}>
        Delete
      </Button>
      {enable.error ? (
        <span role="alert" className="text-xs text-destructive">
          {errorMessage(enable.error)}
        </span>
      ) : null}
      <ConfirmDialog
        open={confirming === 'disable'}
        onOpenChange={(open) => setConfirming(open ? 'disable' : null)}
        title={`Disable ${user.name}?`}
        description={`Every API token of ${user.name} stops working with its next request. Their tokens and project roles are kept, so enabling them again restores their access.`}
        confirmLabel="Disable"
        onConfirm={() => disable.mutateAsync({ userId: user.id })}
      />
      <ConfirmDialog
        open={confirming === 'delete'}
        onOpenChange={(open) => setConfirming(open ? 'delete' : null)}
        title={`Delete ${user.name}?`}
        description={`${user.name}, their API tokens and their roles in every project are removed. This cannot be undone.`}
        confirmLabel="Delete"
        onConfirm={() => remove.mutateAsync({ userId: user.id })}
      />
      {tokens ? <UserTokensDialog user={user} onClose={() => setTokens(false)} /> : null}
    </>
  );
}

function UserTokensDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.users.tokens.queryOptions({ userId: user.id }));
  const revoke = useMutation(
    trpc.users.revokeToken.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.users.tokens.pathKey() }),
    }),
  );
  return (
    <Dialog open onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>API tokens of {user.name}</DialogTitle>
          <DialogDescription>A revoked token stops working with its next request.</DialogDescription>
        </DialogHeader>
        {list.isPending ? (
          <p className="text-sm text-muted-foreground">Loading…</p>
        ) : list.isError ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(list.error)}
          </p>
        ) : list.data.length === 0 ? (
          <p className="text-sm">No tokens.</p>
        ) : (
          <ul aria-label={`Tokens of ${user.name}`} className="grid gap-2 text-sm">
            {list.data.map((token) => (
              <li key={token.id} className="flex items-center justify-between gap-4">
                <span>
                  <span className="font-medium">{token.name}</span>{' '}
                  {token.prefix ? <span className="font-mono text-xs">{token.prefix}…</span> : null}{' '}
                  <span className="text-muted-foreground">
                    {token.lastUsedAt ? `used ${formatAge(token.lastUsedAt)}` : 'never used'} ·{' '}
                    {expiryPhrase(token.expiresAt)}
                    {token.readOnly ? ' · read-only' : ''}
                  </span>
                </span>
                <Button
                  variant="outline"
                  size="sm"
                  aria-label={`Revoke token ${token.name}`}
                  disabled={revoke.isPending}
                  onClick={() => void revoke.mutateAsync({ userId: user.id, id: token.id })}
                >
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        )}
        {revoke.error ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(revoke.error)}
          </p>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
