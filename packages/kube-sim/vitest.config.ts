import { integrationTimeouts, vitestConfig } from '@uncloud/vitest-config';

// Integration tests start a simulated cluster per file and spawn kubectl.
export default vitestConfig({ test: integrationTimeouts });
