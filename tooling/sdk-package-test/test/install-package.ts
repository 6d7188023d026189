import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { runOk } from '@uncloud/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A scratch project outside the workspace with the packed SDK, TypeScript and the fixtures. */
    consumerDir: string;
    /** Paths inside the tarball, as `npm pack` listed them. */
    packedFiles: string[];
  }
}

const require = createRequire(import.meta.url);
const sdkDir = dirname(require.resolve('@uncloud/sdk/package.json'));
const fixturesDir = fileURLToPath(new URL('../fixtures', import.meta.url));
const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;

const newestIn = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs;
    }),
  );

/** turbo builds the SDK before this package's tests; a direct `vitest run` after an edit rebuilds it. */
const ensureBuilt = async () => {
  const built = join(sdkDir, 'dist', 'index.d.ts');
  const fresh = (() => {
    try {
      return statSync(built).mtimeMs >= newestIn(join(sdkDir, 'src'));
    } catch {
      return false;
    }
  })();
  if (!fresh) await runOk('npm', ['run', 'build'], sdkDir);
};

export default async function setup(project: TestProject) {
  await ensureBuilt();
  const scratch = mkdtempSync(join(tmpdir(), 'uncloud-sdk-package-'));
  const consumerDir = join(scratch, 'consumer');
  const packed = await runOk(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch],
    sdkDir,
  );
  const [tarball] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (!tarball) throw new Error(`npm pack printed no tarball: ${packed.stdout}`);

  cpSync(fixturesDir, consumerDir, { recursive: true });
  cpSync(join(sdkDir, 'examples'), join(consumerDir, 'examples'), { recursive: true });
  writeFileSync(
    join(consumerDir, 'package.json'),
    JSON.stringify({ name: 'uncloud-sdk-consumer', private: true, type: 'module' }, null, 2),
  );
  // From the registry (or npm's cache), as a stranger would: no workspace links anywhere.
  await runOk(
    'npm',
    [
      'install',
      join(scratch, tarball.filename),
      `typescript@${versionOf('typescript')}`,
      `@types/node@${versionOf('@types/node')}`,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
    ],
    consumerDir,
  );
  project.provide('consumerDir', consumerDir);
  project.provide('packedFiles', tarball.files.map((f) => f.path).sort());
  return () => rmSync(scratch, { recursive: true, force: true });
}
