import { chmodSync, mkdirSync, statSync } from 'node:fs';
import type { Logger } from './logger.ts';

/**
 * Creates `path` readable by its owner alone (0700), or takes group and other access away from an
 * existing one: the data dir holds app env values, droplet user data and cluster credentials.
 */
export const ensurePrivateDir = (path: string, logger: Logger) => {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode & 0o700);
    logger.warn({ path, was: mode.toString(8) }, 'made the data dir private to its owner (0700)');
  } catch (error) {
    logger.warn({ path, err: error }, 'the data dir is readable by others and could not be made private');
  }
};
