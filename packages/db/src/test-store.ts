import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIntentStore } from './client.ts';
import { newId } from './ids.ts';
import { projects, users } from './schema.ts';

/** A fresh intent store in a temporary directory with one user and two projects, for repository tests. */
export const openTestStore = () => {
  const dir = mkdtempSync(join(tmpdir(), 'uncloud-db-'));
  const store = openIntentStore(join(dir, 'uncloud.db'));
  const userId = newId('user');
  store.db.insert(users).values({ id: userId, name: 'alice' }).run();
  const [projectA, projectB] = [newId('project'), newId('project')];
  store.db
    .insert(projects)
    .values([
      { id: projectA, name: 'a', purpose: 'test' },
      { id: projectB, name: 'b', purpose: 'test' },
    ])
    .run();
  return {
    store,
    dir,
    userId,
    projectA,
    projectB,
    close: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
