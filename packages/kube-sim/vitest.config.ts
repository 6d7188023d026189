import { configDefaults } from 'vitest/config';
import { integrationTimeouts, vitestConfig } from '@uncloud/vitest-config';

// Integration tests start a simulated cluster per file and spawn kubectl. `*.real.test.ts` need a
// server built from Go modules (tooling/s3-real): only the real tier (vitest.real.config.ts) runs them.
export default vitestConfig({
  test: { ...integrationTimeouts, exclude: [...configDefaults.exclude, 'test/**/*.real.test.ts'] },
});
