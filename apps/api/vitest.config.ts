import { configDefaults } from 'vitest/config';
import { integrationTimeouts, vitestConfig } from '@uncloud/vitest-config';

// Every suite here starts a server and a cluster: give them the shared integration room on a busy
// 2-core machine. Tests whose speed is the point assert their own bounds (dos, front-door).
// `*.real.test.ts` need a real control plane: only the real tier (vitest.real.config.ts) runs them.
export default vitestConfig({
  test: { ...integrationTimeouts, exclude: [...configDefaults.exclude, 'test/**/*.real.test.ts'] },
});
