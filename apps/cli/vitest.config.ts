import { integrationTimeouts, vitestConfig } from '@uncloud/vitest-config';

// The integration suite starts an API server and a simulated cluster on a busy 2-core machine.
export default vitestConfig({ test: { ...integrationTimeouts } });
