import { vitestConfig } from '@uncloud/vitest-config';

// Each bench section starts the API and its baseline as processes of their own (tsx from source).
export default vitestConfig({ test: { testTimeout: 120_000 } });
