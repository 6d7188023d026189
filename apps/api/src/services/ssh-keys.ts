import { createHash } from 'node:crypto';
import { newId, sshKeysRepository as keys, type SshKeyRow } from '@uncloud/db';
import { type SshKey, parsePublicKey } from '@uncloud/sdk';
import type { SshKeyService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';

/** The fingerprint `ssh-keygen -l` prints: SHA-256 of the key blob, unpadded base64. */
export const fingerprintOf = (publicKey: string) => {
  const parsed = parsePublicKey(publicKey);
  if ('error' in parsed) throw new Error(parsed.error);
  return `SHA256:${createHash('sha256').update(parsed.blob).digest('base64').replace(/=+$/, '')}`;
};

const presentSshKey = (row: SshKeyRow): SshKey => ({
  id: row.id,
  projectId: row.projectId,
  name: row.name,
  publicKey: row.publicKey,
  fingerprint: row.fingerprint,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * SSH keys have no Kubernetes object of their own, so writes take effect at once; they are still
 * announced, for the project's change streams.
 */
export const createSshKeyService = ({ store, events }: ServiceDeps): SshKeyService => {
  const announced = (row: SshKeyRow) => {
    events.emit({ kind: 'sshKey', id: row.id, projectId: row.projectId });
    return presentSshKey(row);
  };
  return {
    list(scope, input) {
      const page = keys.list(store.db, scope.projectId, input);
      return { items: page.items.map(presentSshKey), nextCursor: page.nextCursor, total: page.total };
    },
    get: (scope, ref) => presentSshKey(keys.get(store.db, scope.projectId, ref.id)),
    create: (scope, input) =>
      announced(
        keys.insert(store.db, {
          id: newId('sshKey'),
          projectId: scope.projectId,
          name: input.name,
          publicKey: input.publicKey.trim(),
          fingerprint: fingerprintOf(input.publicKey),
        }),
      ),
    update(scope, input) {
      const row =
        input.name === undefined
          ? keys.get(store.db, scope.projectId, input.id)
          : keys.rename(store.db, scope.projectId, input.id, input.name);
      return input.name === undefined ? presentSshKey(row) : announced(row);
    },
    delete: (scope, ref) => announced(keys.delete(store.db, scope.projectId, ref.id)),
  };
};
