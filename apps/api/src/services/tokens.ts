import { createHash, randomBytes } from 'node:crypto';

/** A new API token: 32 random bytes, prefixed so that secret scanners can recognise it. */
export const generateToken = () => `uc_${randomBytes(32).toString('base64url')}`;

/** Tokens are high-entropy secrets, so one SHA-256 is the right hash: no salt or stretching needed. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
