import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runOk } from '@uncloud/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A scratch project outside the workspace with the packed CLI and SDK installed. */
    consumerDir: string;
    /** Paths inside the CLI's tarball, as `npm pack` listed them. */
    cliFiles: string[];
  }
}

const require = createRequire(import.meta.url);
const dirOf = (name: string) => dirname(require.resolve(`${name}/package.json`));

const newestIn = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs;
    }),
  );

/** turbo builds both before this package's tests; a direct `vitest run` after an edit rebuilds them. */
const ensureBuilt = async (dir: string, built: string) => {
  const fresh = (() => {
    try {
      return statSync(join(dir, built)).mtimeMs >= newestIn(join(dir, 'src'));
    } catch {
      return false;
    }
  })();
  if (!fresh) await runOk('npm', ['run', 'build'], dir);
};

const pack = async (dir: string, destination: string) => {
  const packed = await runOk(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    dir,
  );
  const [tarball] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (!tarball) throw new Error(`npm pack printed no tarball: ${packed.stdout}`);
  return tarball;
};

export default async function setup(project: TestProject) {
  const sdkDir = dirOf('@uncloud/sdk');
  const cliDir = dirOf('@uncloud/cli');
  await Promise.all([ensureBuilt(sdkDir, 'dist/index.js'), ensureBuilt(cliDir, 'dist/uncloud.js')]);
  const scratch = mkdtempSync(join(tmpdir(), 'uncloud-cli-package-'));
  const consumerDir = join(scratch, 'consumer');
  mkdirSync(consumerDir);
  const [sdk, cli] = await Promise.all([pack(sdkDir, scratch), pack(cliDir, scratch)]);
  writeFileSync(
    join(consumerDir, 'package.json'),
    JSON.stringify({ name: 'uncloud-cli-consumer', private: true }, null, 2),
  );
  // Both tarballs at once: the CLI's dependency on @uncloud/sdk is met by the packed SDK, and the
  // rest comes from the registry (or npm's cache), as for a stranger: no workspace links anywhere.
  await runOk(
    'npm',
    [
      'install',
      join(scratch, sdk.filename),
      join(scratch, cli.filename),
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
    ],
    consumerDir,
  );
  project.provide('consumerDir', consumerDir);
  project.provide('cliFiles', cli.files.map((f) => f.path).sort());
  return () => rmSync(scratch, { recursive: true, force: true });
}
