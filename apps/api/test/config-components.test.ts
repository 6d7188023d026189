import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'uncloud-components-config-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe("the provisioner's settings", () => {
  it('reads the catalogue file and the mirror', () => {
    const sha256 = 'a'.repeat(64);
    const config = loadConfig({
      UNCLOUD_COMPONENTS_MIRROR: 'https://mirror.internal/uncloud',
      UNCLOUD_COMPONENTS_CATALOGUE: file('ok.json', {
        components: {
          kubevirt: {
            versions: [{ version: 'v1.7.0', sources: [{ url: 'https://x.test/a.yaml', sha256 }] }],
          },
        },
      }),
    });
    expect(config.componentsMirror).toBe('https://mirror.internal/uncloud');
    expect(config.componentsCatalogue?.components.kubevirt?.versions[0]?.sources[0]?.sha256).toBe(sha256);
  });

  it('refuses a catalogue without checksums, or unreadable, naming the variable and the field', () => {
    const noChecksum = file('bad.json', {
      components: {
        kubevirt: {
          versions: [{ version: 'v1.7.0', sources: [{ url: 'https://x.test/a.yaml', sha256: 'x' }] }],
        },
      },
    });
    expect(() => loadConfig({ UNCLOUD_COMPONENTS_CATALOGUE: noChecksum })).toThrow(
      /UNCLOUD_COMPONENTS_CATALOGUE: .*components\.kubevirt\.versions\.0\.sources\.0\.sha256: must be 64 lower-case hex digits/,
    );
    expect(() => loadConfig({ UNCLOUD_COMPONENTS_CATALOGUE: file('broken.json', '{') })).toThrow(
      /UNCLOUD_COMPONENTS_CATALOGUE: .*could not be read as JSON/,
    );
    expect(() => loadConfig({ UNCLOUD_COMPONENTS_MIRROR: 'ftp://mirror' })).toThrow(
      /UNCLOUD_COMPONENTS_MIRROR/,
    );
  });
});
