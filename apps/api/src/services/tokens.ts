import { createHash, randomBytes } from 'node:crypto';

/** A new API token: 32 random bytes, prefixed so that secret scanners can recognise it. */
export const generateToken = () => `uc_${randomBytes(32).toString('base64url')}`;

/** Tokens are high-entropy secrets, so one SHA-256 is the right hash: no salt or stretching needed. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Characters of a token kept in the clear: `uc_` and 8 of its 43 random ones (48 of 256 bits). */
const PREFIX_LENGTH = 11;

/**
 * The first characters of a token, shown to recognise it: never more than a quarter of it, so a
 * short chosen token (`UNCLOUD_ADMIN_TOKEN` may have 16 characters) keeps most of its secret.
 */
export const tokenPrefix = (token: string) =>
  token.slice(0, Math.min(PREFIX_LENGTH, Math.floor(token.length / 4)));
