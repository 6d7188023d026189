import { randomBytes } from 'node:crypto';
import { ID_RANDOM_LENGTH, type IdKind, idPrefixes } from '@uncloud/sdk';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
// 252 is the largest multiple of 36 below 256: rejecting bytes above it keeps every character equally likely.
const unbiasedLimit = 252;

/** A new resource id: its kind's prefix and 20 random base-36 characters from the CSPRNG. */
export const newId = <K extends IdKind>(kind: K): string => {
  let out = '';
  while (out.length < ID_RANDOM_LENGTH) {
    for (const byte of randomBytes(32)) {
      if (byte < unbiasedLimit && out.length < ID_RANDOM_LENGTH) out += alphabet[byte % 36];
    }
  }
  return `${idPrefixes[kind]}_${out}`;
};
