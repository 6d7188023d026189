import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { run } from '@uncloud/testing';

// The README as published: every TypeScript and JavaScript snippet must compile against the package.
const consumerDir = inject('consumerDir');
const readme = readFileSync(join(consumerDir, 'node_modules', '@uncloud', 'sdk', 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/^```(ts|js)\n([\s\S]*?)^```$/gm)].map(([, lang, code]) => ({
  lang: lang!,
  code: code!,
}));

describe('the README of the packed SDK', () => {
  it('has snippets for every part of the API', () => {
    const all = snippets.map((s) => s.code).join('\n');
    for (const resource of ['projects', 'sshKeys', 'droplets', 'volumes', 'apps', 'databases', 'firewalls']) {
      expect(all).toContain(`client.${resource}.create.mutate(`);
    }
    const actions = {
      droplets: ['powerOn', 'powerOff', 'reboot', 'resize', 'rebuild', 'snapshot'],
      volumes: ['attach', 'detach', 'resize'],
      apps: ['scale', 'deploy', 'redeploy', 'rollback', 'attachDatabase', 'detachDatabase'],
      databases: ['resize', 'resetPassword'],
    };
    for (const [resource, names] of Object.entries(actions)) {
      for (const name of names) expect(all).toContain(`client.${resource}.${name}.mutate(`);
    }
    for (const call of [
      'databases.credentials.query(',
      'actions.list.query(',
      'actions.get.query(',
      'quotas.get.query(',
    ]) {
      expect(all).toContain(`client.${call}`);
    }
    for (const helper of [
      'client.paginate(',
      'client.waitFor(',
      'client.waitForAction(',
      "require('@uncloud/sdk')",
    ]) {
      expect(all).toContain(helper);
    }
  });

  it('has snippets that type-check against the published declarations', async () => {
    const dir = join(consumerDir, 'readme');
    mkdirSync(dir, { recursive: true });
    snippets.forEach(({ lang, code }, i) => {
      const extension = lang === 'ts' ? 'ts' : code.includes('require(') ? 'cjs' : 'mjs';
      // `export {}` makes each snippet a module, so that what one declares does not clash with another.
      writeFileSync(
        join(dir, `snippet-${i}.${extension}`),
        extension === 'cjs' ? code : `${code}\nexport {};\n`,
      );
    });
    const tsc = join(consumerDir, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.readme.json'], consumerDir);
    expect(result.code, result.stdout).toBe(0);
  });
});
