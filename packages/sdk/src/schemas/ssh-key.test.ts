import { sshPublicKeys } from '@uncloud/testing';
import { describe, expect, it } from 'vitest';
import { CreateSshKeyInput, parsePublicKey } from './ssh-key.ts';

const projectId = 'proj_aaaaaaaaaaaaaaaaaaaa';
const reasonFor = (publicKey: string) => {
  const result = CreateSshKeyInput.safeParse({ projectId, name: 'laptop', publicKey });
  return result.success
    ? null
    : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
};

describe('SSH public keys', () => {
  it.each(Object.entries(sshPublicKeys))('accepts an ssh-keygen %s key', (_type, key) => {
    expect(reasonFor(key.line)).toBeNull();
  });

  it('keeps the comment and the key type', () => {
    expect(parsePublicKey(sshPublicKeys.ed25519.line)).toMatchObject({
      type: 'ssh-ed25519',
      comment: 'me@laptop',
    });
  });

  it('refuses an unsupported key type', () => {
    expect(reasonFor('ssh-dss AAAAB3NzaC1kc3MAAACBAP1 me')).toMatch(
      /publicKey: key type must be one of ssh-ed25519/,
    );
  });

  it('refuses key data that names another algorithm than the line', () => {
    const rsaData = sshPublicKeys.rsa.line.split(' ')[1];
    expect(reasonFor(`ssh-ed25519 ${rsaData}`)).toMatch(/is a "ssh-rsa" key, not "ssh-ed25519"/);
  });

  it('refuses data that is not base64', () => {
    expect(reasonFor('ssh-ed25519 not*base64! me')).toMatch(/not valid base64/);
  });

  it('refuses a pasted private key', () => {
    expect(
      reasonFor(
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
      ),
    ).toMatch(/publicKey: key type must be one of/);
  });

  it('refuses a truncated ed25519 key', () => {
    const data = sshPublicKeys.ed25519.line.split(' ')[1]!;
    expect(reasonFor(`ssh-ed25519 ${data.slice(0, 40)}`)).not.toBeNull();
  });

  it('refuses an empty key line', () => {
    expect(reasonFor('')).toMatch(/must be an OpenSSH public key line/);
  });
});
