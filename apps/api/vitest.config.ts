import { configDefaults } from 'vitest/config';
import { vitestConfig } from '@uncloud/vitest-config';

// `*.real.test.ts` need a real control plane: only the real tier (vitest.real.config.ts) runs them.
export default vitestConfig({ test: { exclude: [...configDefaults.exclude, 'test/**/*.real.test.ts'] } });
