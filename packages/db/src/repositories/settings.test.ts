import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openIntentStore } from '../client.ts';
import { settingsRepository } from './settings.ts';

describe('the installation id', () => {
  it('is made once and kept across restarts', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'uncloud-settings-')), 'uncloud.db');
    const first = openIntentStore(path);
    const id = settingsRepository.installationId(first.db);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(settingsRepository.installationId(first.db)).toBe(id);
    first.close();
    const again = openIntentStore(path);
    expect(settingsRepository.installationId(again.db)).toBe(id);
    again.close();
  });

  it('differs between databases', () => {
    const a = openIntentStore(':memory:');
    const b = openIntentStore(':memory:');
    expect(settingsRepository.installationId(a.db)).not.toBe(settingsRepository.installationId(b.db));
  });
});
