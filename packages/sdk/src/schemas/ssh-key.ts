import { z } from 'zod';
import { IsoDateTime, ProjectId, ResourceName, SshKeyId, listFields } from './common.ts';

export const sshKeyTypes = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
] as const;
export type SshKeyType = (typeof sshKeyTypes)[number];

export interface ParsedPublicKey {
  type: SshKeyType;
  /** The key blob, as the base64 text of the key line. */
  base64: string;
  blob: Uint8Array;
  comment: string;
}

const decodeBase64 = (text: string): Uint8Array | null => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
};

/**
 * Parses an OpenSSH public key line (`<type> <base64> [comment]`) and checks that the key blob
 * names the same algorithm as the line, which catches pasted private keys, truncated keys and
 * mixed-up lines. Returns the reason when the key is not acceptable.
 */
export const parsePublicKey = (line: string): ParsedPublicKey | { error: string } => {
  const [type, base64, ...comment] = line.trim().split(/\s+/);
  if (!type || !base64)
    return { error: 'must be an OpenSSH public key line: "<type> <base64 key> [comment]"' };
  if (!(sshKeyTypes as readonly string[]).includes(type)) {
    return { error: `key type must be one of ${sshKeyTypes.join(', ')} (got "${type.slice(0, 40)}")` };
  }
  const blob = decodeBase64(base64);
  if (!blob || blob.length < 8) return { error: 'the key data is not valid base64' };
  const nameLength = new DataView(blob.buffer, blob.byteOffset).getUint32(0);
  const embedded = new TextDecoder().decode(blob.subarray(4, 4 + nameLength));
  if (embedded !== type) return { error: `the key data is a "${embedded.slice(0, 40)}" key, not "${type}"` };
  if (type === 'ssh-ed25519' && blob.length !== 51)
    return { error: 'an ssh-ed25519 key must hold 32 bytes of key data' };
  return { type: type as SshKeyType, base64, blob, comment: comment.join(' ') };
};

export const PublicKey = z
  .string()
  .max(16384, { message: 'must be at most 16384 characters' })
  .superRefine((line, ctx) => {
    const parsed = parsePublicKey(line);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  });

export const SshKey = z.object({
  id: SshKeyId,
  projectId: ProjectId,
  name: ResourceName,
  publicKey: z.string(),
  /** `SHA256:` fingerprint as `ssh-keygen -lf` prints it, computed by the server. */
  fingerprint: z.string(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type SshKey = z.infer<typeof SshKey>;

export const CreateSshKeyInput = z.object({ projectId: ProjectId, name: ResourceName, publicKey: PublicKey });
export type CreateSshKeyInput = z.input<typeof CreateSshKeyInput>;

export const SshKeyRef = z.object({ projectId: ProjectId, id: SshKeyId });
export type SshKeyRef = z.input<typeof SshKeyRef>;

export const UpdateSshKeyInput = z.object({
  projectId: ProjectId,
  id: SshKeyId,
  name: ResourceName.optional(),
});
export type UpdateSshKeyInput = z.input<typeof UpdateSshKeyInput>;

export const ListSshKeysInput = z.object({ projectId: ProjectId, ...listFields });
export type ListSshKeysInput = z.input<typeof ListSshKeysInput>;
