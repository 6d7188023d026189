import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import envPaths from 'env-paths';
import { usageError } from '../errors.ts';

/** One server the CLI knows: where it is, the token to use there and the project commands act on. */
export interface Context {
  url: string;
  token: string;
  /** The current project's id, set by `uncloud project use`. */
  project?: string | undefined;
}

export interface ConfigFile {
  currentContext?: string | undefined;
  contexts: Record<string, Context>;
}

/**
 * Where the config lives: `UNCLOUD_CONFIG` if set, else `$XDG_CONFIG_HOME/uncloud/config.json`,
 * else the platform's config directory (`~/.config/uncloud` on Linux, `~/Library/Preferences/uncloud`
 * on macOS, `%APPDATA%\uncloud\Config` on Windows).
 */
export const configPath = (env: Record<string, string | undefined>) => {
  if (env.UNCLOUD_CONFIG) return env.UNCLOUD_CONFIG;
  const dir = env.XDG_CONFIG_HOME
    ? join(env.XDG_CONFIG_HOME, 'uncloud')
    : envPaths('uncloud', { suffix: '' }).config;
  return join(dir, 'config.json');
};

export const readConfig = (path: string): ConfigFile => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { contexts: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<ConfigFile>;
    return { currentContext: parsed.currentContext, contexts: parsed.contexts ?? {} };
  } catch {
    throw usageError(
      `The config file ${path} is not valid JSON`,
      'Fix it by hand, or delete it and sign in again with `uncloud auth login`.',
    );
  }
};

/**
 * Writes the config readable by its owner alone (it holds tokens): to a new 0600 file renamed over
 * the old one, so that a crash never leaves half a file and the token is never world-readable.
 */
export const writeConfig = (path: string, config: ConfigFile) => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // The mode of `writeFileSync` is masked by the umask; say it again.
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
};
